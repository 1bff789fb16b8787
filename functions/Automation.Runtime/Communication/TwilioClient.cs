using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;

namespace Automation.Runtime.Communication;

/// <summary>
/// Twilio's Messages and Calls resources through Twilio's own SDK (<see cref="MessageResource"/>,
/// <see cref="CallResource"/>). The SDK sends through an HttpClient of ours (<see cref="ClientName"/>): behind the
/// outbound guard, and with <see cref="TwilioBaseUrlHandler"/> pointing <c>api.twilio.com</c> at
/// <see cref="TwilioOptions.BaseUrl"/> when that is set elsewhere (a regional proxy, or a local stand-in in tests).
/// A created resource's <c>sid</c> and <c>status</c> are the step's output. 429 and 5xx answers, timeouts and connection
/// failures may be retried; other 4xx answers (a number Twilio refuses, bad credentials) are final, with Twilio's error
/// code and message. The auth token goes only into the SDK's Authorization header, never into a message or log.
/// </summary>
public sealed class TwilioClient(IHttpClientFactory clients, IOptions<TwilioOptions> options)
{
    public const string ClientName = "automation-twilio";

    public TwilioOptions Options => options.Value;

    /// <summary>Null when Twilio is configured; else why not (a final failure: retrying will not configure it).</summary>
    public string? NotConfigured() =>
        string.IsNullOrWhiteSpace(Options.AccountSid) || string.IsNullOrWhiteSpace(Options.AuthToken)
            ? "Twilio is not configured: set Automation:Twilio:AccountSid and Automation:Twilio:AuthToken."
            : null;

    /// <summary>Creates a message; the output holds status, sid, state, to and from.</summary>
    public Task<ActionResult> SendMessageAsync(CreateMessageOptions message, CancellationToken cancellationToken) =>
        CallAsync(
            async client =>
            {
                var created = await MessageResource.CreateAsync(message, client);
                return (created.Sid, created.Status?.ToString(), created.To, created.From?.ToString());
            },
            cancellationToken);

    /// <summary>Creates a call; the output holds status, sid, state, to and from.</summary>
    public Task<ActionResult> StartCallAsync(CreateCallOptions call, CancellationToken cancellationToken) =>
        CallAsync(
            async client =>
            {
                var created = await CallResource.CreateAsync(call, client);
                return (created.Sid, created.Status?.ToString(), created.To, created.From);
            },
            cancellationToken);

    private async Task<ActionResult> CallAsync(
        Func<ITwilioRestClient, Task<(string? Sid, string? State, string? To, string? From)>> create, CancellationToken cancellationToken)
    {
        var o = Options;
        var timeout = TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds));
        // One HttpClient (sharing the factory's pooled handler) and one SDK client per call: the SDK's calls take no
        // cancellation token, so the deadline is the HttpClient's timeout and the step's token cancels its requests;
        // and the SDK keeps the last answer on its HTTP client, which is where Retry-After is read from.
        var http = clients.CreateClient(ClientName);
        http.Timeout = timeout;
        using var cancel = cancellationToken.Register(http.CancelPendingRequests);
        var sdkHttp = new SystemNetHttpClient(http);
        var client = new TwilioRestClient(o.AccountSid, o.AuthToken, httpClient: sdkHttp);
        try
        {
            var (sid, state, to, from) = await create(client);
            return ActionResult.Success(Json(new JsonObject
            {
                ["status"] = (int?)sdkHttp.LastResponse?.StatusCode ?? 201,
                ["sid"] = sid,
                ["state"] = state,
                ["to"] = to,
                ["from"] = from,
            }));
        }
        catch (ApiException e) when (e.Status > 0)
        {
            var output = new JsonObject { ["status"] = e.Status, ["code"] = e.Code == 0 ? null : e.Code, ["message"] = e.Message };
            var retryable = e.Status is 429 or >= 500;
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Twilio answered {e.Status}{(e.Code != 0 ? $" (error {e.Code})" : "")}: {e.Message}");
            return ActionResult.Fail(Json(output), message, retryable, retryable ? RetryAfter(sdkHttp.LastResponse) : null);
        }
        catch (ApiException e)
        {
            // No error document in the answer: the SDK says "Api Error: {status} - {body}", which is Twilio's word on it.
            var status = (int?)sdkHttp.LastResponse?.StatusCode ?? 0;
            var retryable = status is 0 or 429 or >= 500;
            return ActionResult.Fail(Json(new JsonObject { ["status"] = status }), $"Twilio answered {status}: {e.Message}", retryable,
                retryable ? RetryAfter(sdkHttp.LastResponse) : null);
        }
        catch (ApiConnectionException e) when (OutboundBlockedException.FindIn(e) is { } blocked)
        {
            return ActionResult.Fail(blocked.Message, retryable: false);
        }
        catch (ApiConnectionException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (ApiConnectionException e) when (e.InnerException is OperationCanceledException)
        {
            return ActionResult.Fail($"Twilio did not answer within {timeout.TotalSeconds:0} s.", retryable: true);
        }
        catch (ApiConnectionException e)
        {
            // The SDK's message names the URL; the cause (refused, reset, DNS) is what explains the failure.
            return ActionResult.Fail($"Twilio could not be reached: {(e.InnerException ?? e).Message}", retryable: true);
        }
    }

    private static TimeSpan? RetryAfter(Response? response)
    {
        var header = response?.Headers?.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private static JsonElement Json(JsonObject value) => JsonSerializer.SerializeToElement(value, EngineJson.Options);
}

/// <summary>
/// Sends the SDK's requests for <c>*.twilio.com</c> to <see cref="TwilioOptions.BaseUrl"/> instead when that is not
/// Twilio's own (the path is kept, after the base URL's own path). The SDK builds its URLs from fixed domains and offers
/// only regions and edges of twilio.com, so this is where any other base is honoured.
/// </summary>
public sealed class TwilioBaseUrlHandler(IOptions<TwilioOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var baseUrl = options.Value.BaseUrl;
        if (request.RequestUri is { } uri && !IsTwilio(baseUrl) && uri.Host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + uri.PathAndQuery);
        }

        return base.SendAsync(request, cancellationToken);
    }

    // Twilio's default needs no rewrite; any other base (a regional host, a proxy, a stand-in) does.
    private static bool IsTwilio(Uri baseUrl) =>
        baseUrl.Scheme == Uri.UriSchemeHttps && baseUrl.AbsolutePath == "/" && baseUrl.IsDefaultPort
        && baseUrl.Host.Equals("api.twilio.com", StringComparison.OrdinalIgnoreCase);
}
