using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Model;
using Automation.Runtime.Crm;
using Automation.Runtime.Documents;
using Automation.Runtime.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions.Records;

/// <summary>
/// <c>attach_document</c>: a document rendered from <c>params.template</c> (the runner has rendered it: merge fields are
/// filled) or fetched from <c>params.url</c>, stored in Blob Storage and linked to the record (<see cref="DocumentStore"/>).
/// It causes the named event <c>document.attached</c> (a workflow triggers on it with
/// <c>{ "type": "event", "name": "document.attached" }</c>; <c>event.data.document</c> describes it) and, with a CRM
/// write-back, sends the document (description and base64 content) to the CRM.
/// <para>Order, for crash safety: content to the blob (overwritten by a repeat), write-back, then the document's row
/// and the event in one batch under the change id. A repeat that finds the event applies nothing again.</para>
/// </summary>
public sealed class AttachDocumentHandler(
    RecordChanges changes,
    RecordWriter writer,
    DocumentStore documents,
    DocumentFetcher fetcher,
    CrmWriteBack crm,
    IOptions<DocumentsOptions> options,
    ILogger<AttachDocumentHandler> logger) : IActionHandler
{
    public const string EventName = "document.attached";

    private const int MaxNameLength = 200;

    public string Type => ActionTypes.AttachDocument;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var changeId = RecordChanges.ChangeId(context);
        var module = context.Run.Module;
        var recordId = context.Run.RecordId;
        try
        {
            var state = await writer.LoadAsync(module, recordId, changeId, cancellationToken);
            if (state.Caused is { } caused)
            {
                return await changes.RepeatedAsync(caused, cancellationToken);
            }

            if (state.Deleted)
            {
                throw new RecordActionException($"{module}/{recordId} was deleted; no document can be attached to it.");
            }

            var p = context.Params;
            var name = FileName(RecordParams.RequiredText(p, "name"));
            var (content, served, source) = await ContentAsync(p, cancellationToken);
            var max = options.Value.MaxBytes;
            if (content.Length > max)
            {
                throw new RecordActionException($"The document is {content.Length} bytes; at most {max} can be attached (Automation:Documents:MaxBytes).");
            }

            var info = new DocumentInfo
            {
                Id = "doc-" + Keys.ShortHash(changeId),
                Module = module,
                RecordId = recordId,
                Name = name,
                ContentType = RecordParams.Text(p, "contentType") ?? served ?? (source == "template" ? ContentTypes.ForText(name, content) : ContentTypes.Guess(name)),
                Size = content.Length,
                Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
                CreatedAt = context.Now,
                Source = source,
                RunId = context.Run.RunId,
                StepId = context.Step.Id,
            };
            await documents.UploadAsync(info, content, cancellationToken);

            var output = new JsonObject { ["module"] = module, ["recordId"] = recordId, ["document"] = info.ToJson(), ["eventId"] = null };
            var body = RecordChanges.WriteBack("attach", context, changeId, module, recordId, null, null);
            var sent = info.ToJson();
            sent["contentBase64"] = Convert.ToBase64String(content);
            body["document"] = sent;
            var written = await crm.SendAsync(body, changeId, cancellationToken);
            RecordChanges.SetWriteBack(output, written);
            if (written.Failure is { } failure)
            {
                return ActionResult.Fail(RecordChanges.Element(output), failure.Message, failure.Retryable, failure.RetryAfter);
            }

            var evt = new CrmEvent
            {
                Id = changeId,
                Type = EventTypes.Custom,
                Module = module,
                RecordId = recordId,
                OccurredAt = context.Now,
                Data = RecordWriter.Element(new JsonObject
                {
                    ["name"] = EventName,
                    ["action"] = context.Step.Action,
                    ["document"] = info.ToJson(),
                    ["writeBack"] = written.Output(),
                }),
                Causation = context.NextCausation,
            };
            if (await writer.TryRecordAsync(state, evt, [info.ToEntity()], cancellationToken) is null)
            {
                var again = await writer.LoadAsync(module, recordId, changeId, cancellationToken);
                return again.Caused is { } other
                    ? await changes.RepeatedAsync(other, cancellationToken)
                    : ActionResult.Fail($"Document {info.Id} of {module}/{recordId} exists but was not attached by this step.", retryable: false);
            }

            await writer.QueueAsync(module, recordId, evt.Id, cancellationToken);
            Logs.RecordChanged(logger, changeId, module, recordId, evt.Id);
            output["eventId"] = evt.Id;
            return ActionResult.Success(RecordChanges.Element(output));
        }
        catch (RecordActionException e)
        {
            return ActionResult.Fail(e.Message, e.Retryable);
        }
    }

    /// <summary>The content, the media type a server gave (null for a template), and the source to record.</summary>
    private async Task<(byte[] Content, string? ContentType, string Source)> ContentAsync(JsonElement p, CancellationToken cancellationToken)
    {
        // The template is taken as rendered, whitespace and all: it is the document.
        if (p.TryGetProperty("template", out var template) && template.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(template.GetString()))
        {
            return (Encoding.UTF8.GetBytes(template.GetString()!), null, "template");
        }

        if (RecordParams.Text(p, "url") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new RecordActionException($"params.url: '{url}' is not an http(s) URL.");
            }

            var fetched = await fetcher.FetchAsync(uri, cancellationToken);
            return (fetched.Content, fetched.ContentType, fetched.Source);
        }

        throw new RecordActionException("A document needs params.template or params.url (both rendered empty).");
    }

    /// <summary>A file name without folders or control characters, at most 200 characters.</summary>
    private static string FileName(string name)
    {
        var clean = new string(name.Select(c => char.IsControl(c) || c is '/' or '\\' ? '_' : c).ToArray()).Trim();
        if (clean.Length > MaxNameLength)
        {
            clean = clean[..MaxNameLength];
        }

        return clean.Length == 0 || clean is "." or ".." ? "document" : clean;
    }
}

/// <summary>Media types by file extension, for documents whose type nobody gave.</summary>
internal static class ContentTypes
{
    /// <summary>
    /// A rendered template is text: the name's type when that is a text type, else HTML when it looks like HTML, else
    /// plain text. (Nothing here renders PDF; a template named <c>.pdf</c> is stored as the text it rendered to.)
    /// </summary>
    public static string ForText(string name, byte[] content)
    {
        var guess = Guess(name);
        if (guess.StartsWith("text/", StringComparison.Ordinal) || guess is "application/json" or "application/xml" or "image/svg+xml")
        {
            return guess;
        }

        var start = Encoding.UTF8.GetString(content, 0, Math.Min(content.Length, 64)).TrimStart();
        return start.StartsWith('<') ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
    }

    public static string Guess(string name)
    {
        var extension = Path.GetExtension(name).ToUpperInvariant();
        return extension switch
        {
            ".PDF" => "application/pdf",
            ".HTML" or ".HTM" => "text/html; charset=utf-8",
            ".TXT" => "text/plain; charset=utf-8",
            ".MD" => "text/markdown; charset=utf-8",
            ".CSV" => "text/csv; charset=utf-8",
            ".JSON" => "application/json",
            ".XML" => "application/xml",
            ".PNG" => "image/png",
            ".JPG" or ".JPEG" => "image/jpeg",
            ".GIF" => "image/gif",
            ".SVG" => "image/svg+xml",
            ".DOCX" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".ICS" => "text/calendar; charset=utf-8",
            _ => "application/octet-stream",
        };
    }
}
