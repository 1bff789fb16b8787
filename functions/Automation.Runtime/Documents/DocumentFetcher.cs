using Automation.Runtime.Actions;
using Automation.Runtime.Actions.Records;
using Automation.Runtime.Crm;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Documents;

/// <summary>A document fetched from a URL: its bytes, the media type the server gave, and where it came from (without the query).</summary>
public sealed record FetchedDocument(byte[] Content, string? ContentType, string Source);

/// <summary>
/// Fetches a document for <c>attach_document</c> through <see cref="OutboundGuard"/> (no private, loopback or link-local
/// address unless allow-listed, checked on every connection), following up to 5 redirects (each checked the same
/// way), and refusing anything larger than <see cref="DocumentsOptions.MaxBytes"/>. A 2xx succeeds; 408, 429, 5xx,
/// timeouts and connection failures may be retried; other answers, refusals and oversize documents are final.
/// </summary>
public sealed class DocumentFetcher(IHttpClientFactory clients, IOptions<DocumentsOptions> options, IOptions<OutboundOptions> outbound)
{
    private const int MaxRedirects = 5;

    public async Task<FetchedDocument> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var o = options.Value;
        var timeout = TimeSpan.FromSeconds(Math.Clamp(o.FetchTimeoutSeconds, 1, 300));
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var client = clients.CreateClient(OutboundGuard.ClientName);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.TryAddWithoutValidation("User-Agent", outbound.Value.UserAgent);
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (hop >= MaxRedirects || next.Scheme is not ("http" or "https"))
                    {
                        throw new RecordActionException($"Fetching {Redact(url)}: too many redirects, or a redirect to a non-http address.");
                    }

                    current = next;
                    continue;
                }

                if (status is < 200 or >= 300)
                {
                    var retryable = status is 408 or 429 or >= 500;
                    throw new RecordActionException($"Fetching {Redact(current)} answered {status} {response.ReasonPhrase}.", retryable);
                }

                if (response.Content.Headers.ContentLength is { } length && length > o.MaxBytes)
                {
                    throw TooLarge(current, length, o.MaxBytes);
                }

                var content = await ReadCappedAsync(response, o.MaxBytes, current, timeoutSource.Token);
                return new FetchedDocument(content, response.Content.Headers.ContentType?.ToString(), Redact(url));
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RecordActionException($"Fetching {Redact(current)} timed out after {timeout.TotalSeconds:0} s.", retryable: true);
        }
        catch (HttpRequestException e) when (OutboundBlockedException.FindIn(e) is { } blocked)
        {
            throw new RecordActionException($"Fetching {Redact(current)} was refused: {blocked.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new RecordActionException($"Fetching {Redact(current)} failed: {e.Message}", retryable: true);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, int max, Uri url, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > max)
            {
                throw TooLarge(url, null, max);
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static RecordActionException TooLarge(Uri url, long? length, int max) =>
        new($"The document at {Redact(url)} is larger than {max} bytes{(length is { } l ? $" ({l})" : "")} (Automation:Documents:MaxBytes).");

    /// <summary>The URL without its query, which may carry tokens.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.GetLeftPart(UriPartial.Path);
    }
}
