namespace Automation.Runtime.Crm;

/// <summary>
/// <c>Automation:Crm</c>: where record changes made by workflows are sent back. Without <see cref="WriteBackUrl"/>
/// changes stay in Automation's store (the snapshot, the caused events and the records it created). Shape:
/// <code>
/// "Automation": { "Crm": {
///   "WriteBackUrl": "https://crm.example.com/automation/changes",   // POST, one change per request
///   "Secret": "...",                                                // signs each request (X-Automation-Signature); unsigned when empty
///   "TimeoutSeconds": 10
/// } }
/// </code>
/// </summary>
public sealed class CrmOptions
{
    public const string Section = "Automation:Crm";

    /// <summary>Text rather than a <see cref="Uri"/>, so that an empty setting means "none" instead of failing to bind.</summary>
    public string? WriteBackUrl { get; set; }

    public string? Secret { get; set; }

    public int TimeoutSeconds { get; set; } = 10;
}
