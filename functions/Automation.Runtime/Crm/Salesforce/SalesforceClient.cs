using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Crm.Salesforce;

/// <summary>
/// Salesforce's REST API (<c>{instance}/services/data/v{ApiVersion}/...</c>) signed in with the OAuth 2.0 client
/// credentials flow: <c>POST {InstanceUrl}/services/oauth2/token</c> with the connected app's key and secret gives an
/// access token and the instance URL to call. The token is kept until Salesforce refuses it (401
/// <c>INVALID_SESSION_ID</c>, e.g. the session timed out), then fetched again and the call made once more.
/// </summary>
public sealed class SalesforceClient(IHttpClientFactory clients, IOptions<SalesforceOptions> options, TimeProvider time) : IDisposable
{
    public const string ClientName = "automation-salesforce";

    private readonly SemaphoreSlim signingIn = new(1, 1);
    private Session? session;

    public bool Configured => options.Value.CanWrite;

    /// <summary>A REST call: <paramref name="path"/> under <c>/services/data/v{ApiVersion}/</c>.</summary>
    public async Task<HttpExchange> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var current = await SessionAsync(null, cancellationToken);
        if (current.Failure is { } failure)
        {
            return failure;
        }

        var exchange = await CallAsync(current, method, path, body, cancellationToken);
        if (exchange.Status != 401)
        {
            return exchange;
        }

        var renewed = await SessionAsync(current, cancellationToken);
        return renewed.Failure ?? await CallAsync(renewed, method, path, body, cancellationToken);
    }

    /// <summary>Salesforce's error answer is a list of <c>{ message, errorCode, fields }</c>: "CODE: message", joined.</summary>
    public static string? Detail(string body)
    {
        try
        {
            var errors = JsonNode.Parse(body) switch
            {
                JsonArray list => list.OfType<JsonObject>(),
                JsonObject one => [one],
                _ => [],
            };
            var text = string.Join("; ", errors.Select(e => Text(e, "errorCode") is { } code ? code + ": " + Text(e, "message") : Text(e, "error_description") ?? Text(e, "message")).OfType<string>());
            return text.Length > 0 ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private Task<HttpExchange> CallAsync(Session current, HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        var o = options.Value;
        return CrmHttp.SendAsync(
            clients.CreateClient(ClientName),
            () =>
            {
                var request = new HttpRequestMessage(method, new Uri(current.InstanceUrl, $"services/data/v{o.ApiVersion}/{path}"));
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current.AccessToken);
                return request;
            },
            Timeout,
            "Salesforce",
            _ => null,
            time,
            cancellationToken);
    }

    /// <summary>The session to use: the kept one, unless it is <paramref name="refused"/> (then a new one).</summary>
    private async Task<Session> SessionAsync(Session? refused, CancellationToken cancellationToken)
    {
        await signingIn.WaitAsync(cancellationToken);
        try
        {
            if (session is { Failure: null } kept && !ReferenceEquals(kept, refused))
            {
                return kept;
            }

            session = await SignInAsync(cancellationToken);
            return session;
        }
        finally
        {
            signingIn.Release();
        }
    }

    private async Task<Session> SignInAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.CanWrite)
        {
            return Session.Failed("Automation:Salesforce:InstanceUrl, ClientId and ClientSecret must be set to write to Salesforce.", false);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(o.InstanceUrl!, "services/oauth2/token"))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = o.ClientId!,
                ["client_secret"] = o.ClientSecret!,
            }),
        };
        var exchange = await HttpExchange.SendAsync(clients.CreateClient(ClientName), request, Timeout, "Salesforce", cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return Session.Failed(failure, exchange.Retryable);
        }

        var answer = exchange.Status == 200 ? JsonNode.Parse(exchange.Body) as JsonObject : null;
        if (answer is null || Text(answer, "access_token") is not { } token)
        {
            // { "error": "invalid_client", "error_description": "invalid client credentials" }
            var message = string.Create(CultureInfo.InvariantCulture, $"Salesforce refused the client credentials ({exchange.Status}): {Detail(exchange.Body) ?? exchange.Reason}.");
            return Session.Failed(message, exchange.Status is 429 or >= 500);
        }

        var instance = Text(answer, "instance_url") is { } url && Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var given) ? given : o.InstanceUrl!;
        return new Session(token, instance, null);
    }

    public void Dispose() => signingIn.Dispose();

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds));

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private sealed record Session(string AccessToken, Uri InstanceUrl, HttpExchange? Failure)
    {
        public static Session Failed(string message, bool retryable) => new("", new Uri("http://localhost/"), new HttpExchange(0, null, "", null, message, retryable));
    }
}
