using System.Globalization;
using System.Text;
using System.Text.Json;
using Automation.Runtime.Actions;
using Automation.Runtime.Documents;
using MimeKit;

namespace Automation.Runtime.Communication.Email;

/// <summary>An attachment could not be had; <see cref="Retryable"/> when the source may answer later.</summary>
public sealed record AttachmentProblem(string Message, bool Retryable);

/// <summary>
/// Resolves a step's <c>attachments</c>: <c>{ "name", "content" }</c> (text, or base64 with <c>"encoding": "base64"</c>),
/// <c>{ "name", "url" }</c>, fetched through the outbound guard (no private addresses unless allowed, no redirects), or
/// one of the record's documents (<c>attach_document</c>): <c>{ "documentId" }</c> (e.g.
/// <c>{{ run.steps.quote.document.id }}</c>) or <c>{ "document": "Quote.pdf" }</c> (the newest with that name).
/// All together are capped in size. <c>contentType</c> is the document's, else guessed from the name.
/// </summary>
public sealed class AttachmentResolver(IHttpClientFactory clients, DocumentStore documents)
{
    /// <summary>All attachments of one email together; larger sums are refused (relays cap messages near 10-25 MB).</summary>
    public const int MaxTotalBytes = 10 * 1024 * 1024;

    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(30);

    /// <param name="specs">The step's rendered attachments list.</param>
    /// <param name="module">The record whose documents may be attached.</param>
    /// <param name="recordId">Its id.</param>
    /// <param name="cancellationToken">Stops fetching.</param>
    public async Task<(IReadOnlyList<EmailAttachment> Attachments, AttachmentProblem? Problem)> ResolveAsync(
        JsonElement? specs, string module, string recordId, CancellationToken cancellationToken)
    {
        var list = new List<EmailAttachment>();
        if (specs is not { ValueKind: JsonValueKind.Array } array)
        {
            return (list, null);
        }

        var total = 0L;
        var index = 0;
        foreach (var spec in array.EnumerateArray())
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"params.attachments[{index++}]");
            if (spec.ValueKind != JsonValueKind.Object)
            {
                return (list, new AttachmentProblem($"{at}: an attachment is an object with name and content, or name and url.", false));
            }

            var name = StepParams.Text(spec, "name");
            var url = StepParams.Text(spec, "url");
            string? contentType = null;
            byte[] bytes;
            if (StepParams.Text(spec, "documentId") is not null || StepParams.Text(spec, "document") is not null)
            {
                var (document, problem) = await DocumentAsync(spec, module, recordId, at, cancellationToken);
                if (problem is not null)
                {
                    return (list, problem);
                }

                (bytes, name, contentType) = (document!.Value.Bytes, name ?? document.Value.Name, document.Value.ContentType);
            }
            else if (url is not null)
            {
                var (fetched, problem) = await FetchAsync(url, at, cancellationToken);
                if (problem is not null)
                {
                    return (list, problem);
                }

                bytes = fetched!;
                name ??= Uri.TryCreate(url, UriKind.Absolute, out var u) ? Path.GetFileName(u.AbsolutePath) : null;
            }
            else if (spec.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                var text = content.GetString()!;
                if (string.Equals(StepParams.Text(spec, "encoding"), "base64", StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        bytes = Convert.FromBase64String(text);
                    }
                    catch (FormatException)
                    {
                        return (list, new AttachmentProblem($"{at}.content: the content is not valid base64.", false));
                    }
                }
                else
                {
                    bytes = Encoding.UTF8.GetBytes(text);
                }
            }
            else
            {
                return (list, new AttachmentProblem($"{at}: an attachment needs content or url.", false));
            }

            if (string.IsNullOrWhiteSpace(name))
            {
                return (list, new AttachmentProblem($"{at}.name: an attachment needs a file name.", false));
            }

            total += bytes.Length;
            if (total > MaxTotalBytes)
            {
                return (list, new AttachmentProblem($"{at}: the attachments are larger than {MaxTotalBytes / (1024 * 1024)} MB in all.", false));
            }

            list.Add(new EmailAttachment(name.Trim(), StepParams.Text(spec, "contentType") ?? contentType ?? MimeTypes.GetMimeType(name), bytes));
        }

        return (list, null);
    }

    /// <summary>A document of the record, by id or by name (the newest of that name).</summary>
    private async Task<((byte[] Bytes, string Name, string ContentType)? Document, AttachmentProblem? Problem)> DocumentAsync(
        JsonElement spec, string module, string recordId, string at, CancellationToken cancellationToken)
    {
        var id = StepParams.Text(spec, "documentId")?.Trim();
        if (id is null)
        {
            var wanted = StepParams.Text(spec, "document")!.Trim();
            var all = await documents.ListAsync(module, recordId, cancellationToken);
            id = all.LastOrDefault(d => string.Equals(d.Name, wanted, StringComparison.Ordinal))?.Id;
            if (id is null)
            {
                return (null, new AttachmentProblem($"{at}.document: {module}/{recordId} has no document named '{wanted}'.", false));
            }
        }

        await using var open = await documents.OpenAsync(module, recordId, id, cancellationToken);
        if (open is null)
        {
            return (null, new AttachmentProblem($"{at}.documentId: {module}/{recordId} has no document '{id}'.", false));
        }

        if (open.Info.Size > MaxTotalBytes)
        {
            return (null, new AttachmentProblem($"{at}: document '{open.Info.Name}' is larger than {MaxTotalBytes / (1024 * 1024)} MB.", false));
        }

        using var buffer = new MemoryStream();
        await open.Content.CopyToAsync(buffer, cancellationToken);
        return ((buffer.ToArray(), open.Info.Name, open.Info.ContentType), null);
    }

    private async Task<(byte[]? Bytes, AttachmentProblem? Problem)> FetchAsync(string url, string at, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return (null, new AttachmentProblem($"{at}.url: '{url}' is not an http(s) URL.", false));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            using var response = await clients.CreateClient(OutboundGuard.ClientName).GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (status is < 200 or >= 300)
            {
                return (null, new AttachmentProblem($"{at}.url: {uri.GetLeftPart(UriPartial.Path)} answered {status}.", status is 408 or 429 or >= 500));
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > MaxTotalBytes)
                {
                    return (null, new AttachmentProblem($"{at}.url: the file is larger than {MaxTotalBytes / (1024 * 1024)} MB.", false));
                }

                buffer.Write(chunk, 0, read);
            }

            return (buffer.ToArray(), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, new AttachmentProblem($"{at}.url: fetching {uri.GetLeftPart(UriPartial.Path)} timed out.", true));
        }
        catch (HttpRequestException e) when (OutboundBlockedException.FindIn(e) is { } blocked)
        {
            return (null, new AttachmentProblem($"{at}.url: {blocked.Message}", false));
        }
        catch (HttpRequestException e)
        {
            return (null, new AttachmentProblem($"{at}.url: fetching {uri.GetLeftPart(UriPartial.Path)} failed: {e.Message}", true));
        }
    }
}
