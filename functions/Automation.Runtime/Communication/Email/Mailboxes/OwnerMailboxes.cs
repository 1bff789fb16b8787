using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Automation.Runtime.Actions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Automation.Runtime.Communication.Email.Mailboxes;

/// <summary>
/// Sends a built message from a record owner's own mailbox, so it sits in their Sent folder and replies come to them:
/// <list type="bullet">
/// <item>Gmail: <c>POST {BaseUrl}/gmail/v1/users/me/messages/send</c> with <c>{ "raw": base64url(MIME) }</c>;</item>
/// <item>Microsoft 365: <c>POST {GraphUrl}/v1.0/me/sendMail</c> with the MIME message base64-encoded as <c>text/plain</c>.</item>
/// </list>
/// Both take the owner's access token (<see cref="OAuthTokens"/>); a 401 gets a fresh token and one more try. 408, 429 and
/// 5xx may be retried, other answers are final.
/// </summary>
public sealed class OwnerMailboxes(IHttpClientFactory clients, OAuthTokens tokens, IOptions<MailboxOptions> options)
{
    /// <summary>The owner's mailbox for <paramref name="via"/>; null with the reason when there is none to send from.</summary>
    public OwnerMailbox? Find(string? ownerId, string via, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(ownerId))
        {
            error = $"params.via: the record has no ownerId, so there is no owner's mailbox to send from with {via}.";
            return null;
        }

        if (!options.Value.Owners.TryGetValue(ownerId.Trim(), out var mailbox) || string.IsNullOrWhiteSpace(mailbox.Address))
        {
            error = $"params.via: owner '{ownerId}' has no mailbox (configure Automation:Mailboxes:Owners:{ownerId}:Provider, Address and RefreshToken).";
            return null;
        }

        if (!string.Equals(mailbox.Provider, via, StringComparison.OrdinalIgnoreCase))
        {
            error = $"params.via: owner '{ownerId}' has a {mailbox.Provider ?? "(no provider)"} mailbox, not {via}.";
            return null;
        }

        return mailbox;
    }

    /// <summary>Sends from <paramref name="ownerId"/>'s <paramref name="via"/> mailbox; one no longer configured fails for good.</summary>
    public async Task<SmtpOutcome> SendAsync(string ownerId, string via, MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Find(ownerId, via, out var missing) is not { } mailbox)
        {
            return SmtpOutcome.Failed(missing, retryable: false);
        }

        using var mime = new MemoryStream();
        await message.WriteToAsync(mime, cancellationToken);
        var raw = mime.ToArray();
        var gmail = string.Equals(mailbox.Provider, OwnerMailbox.Gmail, StringComparison.OrdinalIgnoreCase);
        var service = gmail ? "Gmail" : "Microsoft Graph";
        SmtpOutcome? outcome = null;
        foreach (var fresh in new[] { false, true })
        {
            var token = await tokens.GetAsync(ownerId, mailbox, fresh, cancellationToken);
            if (token.Token is null)
            {
                return SmtpOutcome.Failed(token.Error!, token.Retryable);
            }

            using var request = gmail ? GmailRequest(raw) : GraphRequest(raw);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
            var exchange = await HttpExchange.SendAsync(
                clients.CreateClient(OAuthTokens.ClientName), request, TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds)), service, cancellationToken);
            outcome = Judge(service, exchange);
            if (exchange.Status != 401)
            {
                return outcome;
            }
        }

        return outcome!;
    }

    private HttpRequestMessage GmailRequest(byte[] raw)
    {
        var body = JsonSerializer.Serialize(new { raw = Base64Url(raw) });
        return new HttpRequestMessage(HttpMethod.Post, new Uri(options.Value.Google.BaseUrl, "gmail/v1/users/me/messages/send"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
    }

    private HttpRequestMessage GraphRequest(byte[] raw) =>
        new(HttpMethod.Post, new Uri(options.Value.Microsoft.GraphUrl, "v1.0/me/sendMail"))
        {
            Content = new StringContent(Convert.ToBase64String(raw), Encoding.ASCII, "text/plain"),
        };

    private static SmtpOutcome Judge(string service, HttpExchange exchange)
    {
        if (exchange.Failure is { } failure)
        {
            return SmtpOutcome.Failed(failure, exchange.Retryable);
        }

        if (exchange.Status is >= 200 and < 300)
        {
            var id = MessageIdIn(exchange.Body);
            return SmtpOutcome.Ok(string.Create(CultureInfo.InvariantCulture, $"{service} answered {exchange.Status}{(id is null ? "" : $" (message {id})")}"));
        }

        var retryable = exchange.Status is 408 or 429 or >= 500;
        var detail = ErrorIn(exchange.Body);
        return SmtpOutcome.Failed(
            string.Create(CultureInfo.InvariantCulture, $"{service} answered {exchange.Status}{(detail is null ? "" : ": " + detail)}"), retryable);
    }

    /// <summary>Gmail answers the sent message's <c>id</c>; Graph answers 202 with no body.</summary>
    private static string? MessageIdIn(string body) => Property(body, root => root.TryGetProperty("id", out var id) ? id.GetString() : null);

    /// <summary>Both answer <c>{ "error": { "code", "message" } }</c>.</summary>
    private static string? ErrorIn(string body) => Property(body, root =>
        root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString() : null);

    private static string? Property(string body, Func<JsonElement, string?> read)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? read(doc.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
