using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;

namespace Automation.Runtime.Documents;

/// <summary>
/// A document attached to a record. <see cref="Source"/> says where it came from (<c>template</c>, or the URL without
/// its query); <see cref="RunId"/> and <see cref="StepId"/> which step attached it.
/// </summary>
public sealed record DocumentInfo
{
    public required string Id { get; init; }

    public required string Module { get; init; }

    public required string RecordId { get; init; }

    public required string Name { get; init; }

    public required string ContentType { get; init; }

    public required long Size { get; init; }

    /// <summary>Hex SHA-256 of the content.</summary>
    public required string Sha256 { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required string Source { get; init; }

    public string? RunId { get; init; }

    public string? StepId { get; init; }

    /// <summary>The blob holding the content: <c>{record partition}/{document id}</c> in the documents container.</summary>
    [JsonIgnore]
    public string BlobName => Keys.RecordPartition(Module, RecordId) + "/" + Id;

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["contentType"] = ContentType,
        ["size"] = Size,
        ["sha256"] = Sha256,
        ["source"] = Source,
        ["createdAt"] = CreatedAt,
    };

    public TableEntity ToEntity() => new(Keys.RecordPartition(Module, RecordId), Keys.DocumentRow(Id))
    {
        ["Kind"] = "document",
        ["DocumentId"] = Id,
        ["Module"] = Module,
        ["RecordId"] = RecordId,
        ["Name"] = Name,
        ["ContentType"] = ContentType,
        ["Size"] = Size,
        ["Sha256"] = Sha256,
        ["CreatedAt"] = CreatedAt,
        ["Source"] = Source,
        ["RunId"] = RunId,
        ["StepId"] = StepId,
    };

    public static DocumentInfo From(TableEntity e) => new()
    {
        Id = e.GetString("DocumentId") ?? "",
        Module = e.GetString("Module") ?? "",
        RecordId = e.GetString("RecordId") ?? "",
        Name = e.GetString("Name") ?? "",
        ContentType = e.GetString("ContentType") ?? "application/octet-stream",
        Size = e.GetInt64("Size") ?? 0,
        Sha256 = e.GetString("Sha256") ?? "",
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        Source = e.GetString("Source") ?? "",
        RunId = e.GetString("RunId"),
        StepId = e.GetString("StepId"),
    };
}

/// <summary>An open document: its description and its content (the caller disposes it).</summary>
public sealed class DocumentContent(DocumentInfo info, Stream content) : IAsyncDisposable
{
    public DocumentInfo Info { get; } = info;

    public Stream Content { get; } = content;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// The documents of records: each one's content is a blob in <c>{prefix}-documents</c> named
/// <c>{record partition}/{document id}</c>, and its description a <c>doc|{id}</c> row in the record's partition, so a
/// record's documents are one range read (<see cref="ListAsync"/>) and are found with the record. Email attachments
/// ("the record's documents") read them here.
/// </summary>
public sealed class DocumentStore(AutomationStorage storage)
{
    private Task? containerCreated;

    /// <summary>The record's documents, oldest first.</summary>
    public async Task<IReadOnlyList<DocumentInfo>> ListAsync(string module, string recordId, CancellationToken cancellationToken = default)
    {
        var partition = Keys.RecordPartition(module, recordId);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {Keys.DocumentPrefix} and RowKey lt {Keys.RangeEnd(Keys.DocumentPrefix)}");
        var list = new List<DocumentInfo>();
        await foreach (var e in storage.Records.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(DocumentInfo.From(e));
        }

        return list.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).ToArray();
    }

    public async Task<DocumentInfo?> GetAsync(string module, string recordId, string documentId, CancellationToken cancellationToken = default)
    {
        var read = await storage.Records.GetEntityIfExistsAsync<TableEntity>(
            Keys.RecordPartition(module, recordId), Keys.DocumentRow(documentId), cancellationToken: cancellationToken);
        return read.HasValue ? DocumentInfo.From(read.Value!) : null;
    }

    /// <summary>The document with its content; null when the record has no such document.</summary>
    public async Task<DocumentContent?> OpenAsync(string module, string recordId, string documentId, CancellationToken cancellationToken = default)
    {
        var info = await GetAsync(module, recordId, documentId, cancellationToken);
        if (info is null)
        {
            return null;
        }

        try
        {
            var stream = await storage.Documents.GetBlobClient(info.BlobName).OpenReadAsync(cancellationToken: cancellationToken);
            return new DocumentContent(info, stream);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Stores the content of a document (overwriting: a repeat of the same step writes the same blob). The description
    /// row is written by the caller, with the event that announces it, once the content is safe.
    /// </summary>
    public async Task UploadAsync(DocumentInfo info, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        await EnsureContainerAsync(cancellationToken);
        var blob = storage.Documents.GetBlobClient(info.BlobName);
        await blob.UploadAsync(
            BinaryData.FromBytes(content),
            new Azure.Storage.Blobs.Models.BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders
                {
                    ContentType = info.ContentType,
                    ContentDisposition = "attachment; filename=\"" + AsciiName(info.Name) + "\"",
                },
            },
            cancellationToken);
    }

    /// <summary>Created once per process on first use; a failed attempt is tried again by the next upload.</summary>
    private Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        var created = containerCreated;
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            created = storage.Documents.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            containerCreated = created;
        }

        return created.WaitAsync(cancellationToken);
    }

    /// <summary>Headers are ASCII: the file name as a header value keeps printable ASCII and turns the rest into '_'.</summary>
    private static string AsciiName(string name) =>
        new(name.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '_').ToArray());
}
