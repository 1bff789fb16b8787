using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication.Email.Mailboxes;

/// <summary>An access token for an owner's mailbox, or why there is none (and whether asking again may help).</summary>
public sealed record AccessToken(string? Token, string? Error, bool Retryable);

/// <summary>
/// Access tokens for owners' mailboxes from their refresh tokens (RFC 6749 §6, <c>grant_type=refresh_token</c>), kept in
/// memory until a minute before they expire, so a burst of sends asks the provider once. A refresh token the provider
/// rotates (Microsoft does) replaces the configured one for this process; one it refuses (<c>invalid_grant</c>: revoked,
/// expired, the password changed) fails the send for good with a message that says to connect the mailbox again.
/// </summary>
public sealed class OAuthTokens(IHttpClientFactory clients, IOptions<MailboxOptions> options, TimeProvider time)
{
    public const string ClientName = "automation-mailboxes";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> rotated = new(StringComparer.Ordinal);

    public async Task<AccessToken> GetAsync(string ownerId, OwnerMailbox mailbox, bool fresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var key = mailbox.Provider + "\n" + ownerId;
        if (!fresh && cache.TryGetValue(key, out var cached) && cached.Until > time.GetUtcNow())
        {
            return new AccessToken(cached.Token, null, false);
        }

        var o = options.Value;
        var google = mailbox.Provider == OwnerMailbox.Gmail;
        var (provider, url, clientId, secret) = google
            ? ("Google", o.Google.TokenUrl, o.Google.ClientId, o.Google.ClientSecret)
            : ("Microsoft", o.Microsoft.Token, o.Microsoft.ClientId, o.Microsoft.ClientSecret);
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret))
        {
            var section = google ? "Google" : "Microsoft";
            return new AccessToken(null, $"No {provider} OAuth app is configured (Automation:Mailboxes:{section}:ClientId and ClientSecret).", false);
        }

        var refresh = rotated.TryGetValue(key, out var newer) ? newer : mailbox.RefreshToken;
        if (string.IsNullOrEmpty(refresh))
        {
            return new AccessToken(null, $"Owner '{ownerId}' has no refresh token (Automation:Mailboxes:Owners:{ownerId}:RefreshToken): the mailbox was never connected.", false);
        }

        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        };
        if (!google)
        {
            form["scope"] = "https://graph.microsoft.com/Mail.Send offline_access";
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        var exchange = await HttpExchange.SendAsync(
            clients.CreateClient(ClientName), request, TimeSpan.FromSeconds(Math.Max(1, o.TimeoutSeconds)), $"{provider}'s token endpoint", cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return new AccessToken(null, failure, exchange.Retryable);
        }

        var (token, expiresIn, newRefresh, error, description) = Read(exchange.Body);
        if (exchange.Status is < 200 or >= 300 || token is null)
        {
            var retryable = exchange.Status is 408 or 429 or >= 500;
            var what = error == "invalid_grant"
                ? $"{provider} refused the refresh token of owner '{ownerId}' (invalid_grant: revoked, expired or for another app); the owner must connect the mailbox again."
                : string.Create(CultureInfo.InvariantCulture, $"{provider}'s token endpoint answered {exchange.Status}{(error is null ? "" : $" ({error}{(description is null ? "" : ": " + description)})")}.");
            return new AccessToken(null, what, retryable);
        }

        if (newRefresh is not null && newRefresh != refresh)
        {
            rotated[key] = newRefresh;
        }

        cache[key] = (token, time.GetUtcNow().AddSeconds(Math.Max(0, expiresIn - 60)));
        return new AccessToken(token, null, false);
    }

    private static (string? Token, int ExpiresIn, string? Refresh, string? Error, string? Description) Read(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var expires = root.TryGetProperty("expires_in", out var e) && e.TryGetInt32(out var seconds) ? seconds : 3600;
            return (Text("access_token"), expires, Text("refresh_token"), Text("error"), Text("error_description"));
        }
        catch (JsonException)
        {
            return (null, 0, null, null, null);
        }
    }
}
