using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Engine.Runs;
using Automation.Engine.Security;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Crm;

/// <summary>What the CRM answered to a write-back: nothing (not configured), its status, or a failure that says whether to retry.</summary>
public sealed record WriteBackResult(bool Sent, int? Status, StepFailure? Failure)
{
    public static readonly WriteBackResult NotConfigured = new(false, null, null);

    /// <summary><c>{ status }</c> for the step output; null when nothing was sent.</summary>
    public JsonObject? Output() => Sent ? new JsonObject { ["status"] = Status } : null;
}

/// <summary>
/// Sends a record change to the CRM (<see cref="CrmOptions.WriteBackUrl"/>): a JSON POST signed with
/// <c>X-Automation-Signature</c> when a secret is configured, carrying <c>Idempotency-Key</c> = the change id, which is the
/// same for every attempt of the step, so a CRM that applied a change but answered 500 recognises the retry.
/// A 2xx succeeds; 408, 429, 5xx, timeouts and connection failures may be retried (honouring <c>Retry-After</c>);
/// any other answer is final. Goes through <see cref="OutboundGuard"/> like every outbound request.
/// </summary>
public sealed class CrmWriteBack(IHttpClientFactory clients, IOptions<CrmOptions> options, IOptions<OutboundOptions> outbound, TimeProvider time, ILogger<CrmWriteBack> logger)
{
    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.WriteBackUrl);

    public async Task<WriteBackResult> SendAsync(JsonObject change, string changeId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.WriteBackUrl))
        {
            return WriteBackResult.NotConfigured;
        }

        if (!Uri.TryCreate(o.WriteBackUrl.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return new WriteBackResult(true, null, new StepFailure("Automation:Crm:WriteBackUrl is not an absolute http(s) URL.", false, null));
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(change, EngineJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", changeId);
        request.Headers.TryAddWithoutValidation("User-Agent", outbound.Value.UserAgent);
        if (!string.IsNullOrEmpty(o.Secret))
        {
            request.Headers.TryAddWithoutValidation(Signature.HeaderName, Signature.Create(o.Secret, time.GetUtcNow(), body));
        }

        var timeout = TimeSpan.FromSeconds(Math.Clamp(o.TimeoutSeconds, 1, 120));
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var where = url.GetLeftPart(UriPartial.Path);
        try
        {
            using var response = await clients.CreateClient(OutboundGuard.ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            var status = (int)response.StatusCode;
            Logs.CrmWriteBackAnswered(logger, changeId, status);
            if (status is >= 200 and < 300)
            {
                return new WriteBackResult(true, status, null);
            }

            var retryable = status is 408 or 429 or >= 500;
            var message = $"The CRM write-back ({where}) answered {status} {response.ReasonPhrase}.";
            return new WriteBackResult(true, status, new StepFailure(message, retryable, retryable ? RetryAfter(response) : null));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WriteBackResult(true, null, new StepFailure($"The CRM write-back ({where}) timed out after {timeout.TotalSeconds:0} s.", true, null));
        }
        catch (HttpRequestException e) when (OutboundBlockedException.FindIn(e) is { } blocked)
        {
            return new WriteBackResult(true, null, new StepFailure($"The CRM write-back was refused: {blocked.Message}", false, null));
        }
        catch (HttpRequestException e)
        {
            return new WriteBackResult(true, null, new StepFailure($"The CRM write-back ({where}) failed: {e.Message}", true, null));
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
