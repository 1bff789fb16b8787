using System.Collections.Concurrent;
using System.Text.Json;
using System.Web;
using MimeKit;

namespace Automation.Testing;

/// <summary>
/// Google's and Microsoft's side of sending from a user's mailbox, shaped as they document it: the OAuth 2.0 token
/// endpoints (<c>grant_type=refresh_token</c> with the client's id and secret, form-encoded; <c>invalid_grant</c> for an
/// unknown refresh token), Gmail's <c>users.messages.send</c> (<c>{ "raw": base64url(MIME) }</c>, answering the message's
/// id) and Graph's <c>sendMail</c> with a MIME body (base64 as <c>text/plain</c>, answering 202). Access tokens are issued
/// per refresh token; a request with another token gets 401. Microsoft rotates the refresh token on every use.
/// </summary>
public sealed class MailboxServer : LocalServer
{
    public const string GoogleClientId = "google-client";
    public const string GoogleClientSecret = "google-secret";
    public const string MicrosoftClientId = "microsoft-client";
    public const string MicrosoftClientSecret = "microsoft-secret";

    private readonly ConcurrentDictionary<string, string> refreshTokens = new(StringComparer.Ordinal); // refresh → user address
    private readonly ConcurrentDictionary<string, string> accessTokens = new(StringComparer.Ordinal);  // access → user address
    private readonly ConcurrentQueue<(string Provider, string User, MimeMessage Message)> sent = new();
    private int issued;

    public static async Task<MailboxServer> StartAsync()
    {
        var server = new MailboxServer();
        await server.ListenAsync();
        return server;
    }

    public string GoogleTokenUrl => BaseUrl + "/google/token";

    public string GmailBaseUrl => BaseUrl + "/";

    public string MicrosoftTokenUrl => BaseUrl + "/microsoft/oauth2/v2.0/token";

    public string GraphUrl => BaseUrl + "/";

    /// <summary>Messages sent, with the provider (<c>gmail</c>, <c>graph</c>) and the mailbox they went from.</summary>
    public IReadOnlyList<(string Provider, string User, MimeMessage Message)> Sent => sent.ToArray();

    /// <summary>Token requests so far (a cached access token makes none).</summary>
    public int TokenRequests => Requests.Count(r => r.Path.EndsWith("/token", StringComparison.Ordinal));

    /// <summary>Lets <paramref name="refreshToken"/> stand for the user <paramref name="address"/>, as after consent.</summary>
    public void Authorize(string refreshToken, string address) => refreshTokens[refreshToken] = address;

    /// <summary>Revokes every access token issued so far (the next API call gets 401), as a password change does.</summary>
    public void ExpireAccessTokens() => accessTokens.Clear();

    protected override Answer Respond(ReceivedRequest request) => request.Path switch
    {
        "/google/token" => Token(request, GoogleClientId, GoogleClientSecret, rotate: false),
        "/microsoft/oauth2/v2.0/token" => Token(request, MicrosoftClientId, MicrosoftClientSecret, rotate: true),
        "/gmail/v1/users/me/messages/send" => Gmail(request),
        "/v1.0/me/sendMail" => Graph(request),
        _ => new Answer(404, """{ "error": { "code": 404, "message": "Not Found" } }"""),
    };

    private Answer Token(ReceivedRequest request, string clientId, string secret, bool rotate)
    {
        var form = HttpUtility.ParseQueryString(request.Body);
        if (request.Method != "POST" || request.Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            return new Answer(400, """{ "error": "invalid_request", "error_description": "Send a form-encoded POST." }""");
        }

        if (form["client_id"] != clientId || form["client_secret"] != secret)
        {
            return new Answer(401, """{ "error": "invalid_client", "error_description": "The OAuth client was not found." }""");
        }

        if (form["grant_type"] != "refresh_token" || form["refresh_token"] is not { } refresh || !refreshTokens.TryGetValue(refresh, out var user))
        {
            return new Answer(400, """{ "error": "invalid_grant", "error_description": "Token has been expired or revoked." }""");
        }

        var access = $"at-{Interlocked.Increment(ref issued)}";
        accessTokens[access] = user;
        var answer = new Dictionary<string, object> { ["access_token"] = access, ["expires_in"] = 3599, ["token_type"] = "Bearer" };
        if (rotate)
        {
            var next = refresh + "-r";
            refreshTokens.TryRemove(refresh, out _);
            refreshTokens[next] = user;
            answer["refresh_token"] = next;
        }

        return new Answer(200, JsonSerializer.Serialize(answer));
    }

    private string? User(ReceivedRequest request) =>
        request.Header("Authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) && accessTokens.TryGetValue(auth[7..], out var user)
            ? user
            : null;

    private Answer Gmail(ReceivedRequest request)
    {
        if (User(request) is not { } user)
        {
            return new Answer(401, """{ "error": { "code": 401, "message": "Request had invalid authentication credentials.", "status": "UNAUTHENTICATED" } }""");
        }

        var raw = JsonDocument.Parse(request.Body).RootElement.GetProperty("raw").GetString()!;
        var bytes = Convert.FromBase64String(raw.Replace('-', '+').Replace('_', '/').PadRight((raw.Length + 3) / 4 * 4, '='));
        var message = MimeMessage.Load(new MemoryStream(bytes));
        sent.Enqueue(("gmail", user, message));
        var id = Guid.NewGuid().ToString("N")[..16];
        return new Answer(200, JsonSerializer.Serialize(new { id, threadId = id, labelIds = new[] { "SENT" } }));
    }

    private Answer Graph(ReceivedRequest request)
    {
        if (User(request) is not { } user)
        {
            return new Answer(401, """{ "error": { "code": "InvalidAuthenticationToken", "message": "Access token has expired or is not yet valid." } }""");
        }

        if (request.Header("Content-Type")?.StartsWith("text/plain", StringComparison.Ordinal) != true)
        {
            return new Answer(400, """{ "error": { "code": "ErrorMimeContentInvalid", "message": "MIME content must be sent as text/plain, base64-encoded." } }""");
        }

        var message = MimeMessage.Load(new MemoryStream(Convert.FromBase64String(request.Body.Trim())));
        sent.Enqueue(("graph", user, message));
        return new Answer(202, "", "text/plain");
    }
}
