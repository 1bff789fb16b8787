namespace Automation.Runtime.Documents;

/// <summary>
/// <c>Automation:Documents</c>. Shape:
/// <code>
/// "Automation": { "Documents": {
///   "MaxBytes": 4194304,           // largest document attach_document stores (rendered or fetched); larger fails the step
///   "FetchTimeoutSeconds": 30      // how long fetching a document from a URL may take
/// } }
/// </code>
/// </summary>
public sealed class DocumentsOptions
{
    public const string Section = "Automation:Documents";

    public int MaxBytes { get; set; } = 4 * 1024 * 1024;

    public int FetchTimeoutSeconds { get; set; } = 30;
}
