using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Automation.Testing;

/// <summary>
/// Twilio's Messages and Calls resources as Twilio checks them: <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c> and
/// <c>Calls.json</c>, basic auth with the account SID and auth token (401, code 20003, otherwise), a form body with
/// <c>To</c> in E.164 (400, 21211), a sender (<c>From</c> or, for messages, <c>MessagingServiceSid</c>: 400, 21603/21213),
/// a <c>Body</c> for messages (400, 21602) and <c>Twiml</c> or <c>Url</c> for calls (400, 21205). Accepted requests get
/// 201 with a new <c>sid</c> and status <c>queued</c>, as Twilio answers.
/// </summary>
public sealed partial class TwilioServer : LocalServer
{
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AuthToken = "twilio-test-token";

    public static async Task<TwilioServer> StartAsync()
    {
        var server = new TwilioServer();
        await server.ListenAsync();
        return server;
    }

    /// <summary>The form fields of a recorded request.</summary>
    public static IReadOnlyDictionary<string, string> Form(ReceivedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    public IReadOnlyList<ReceivedRequest> Messages => Requests.Where(r => r.Path.EndsWith("/Messages.json", StringComparison.Ordinal)).ToArray();

    public IReadOnlyList<ReceivedRequest> Calls => Requests.Where(r => r.Path.EndsWith("/Calls.json", StringComparison.Ordinal)).ToArray();

    protected override Answer Respond(ReceivedRequest request)
    {
        var match = PathPattern().Match(request.Path);
        if (request.Method != "POST" || !match.Success)
        {
            return Error(404, 20404, "The requested resource was not found");
        }

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(AccountSid + ":" + AuthToken));
        if (!string.Equals(request.Header("Authorization"), expected, StringComparison.Ordinal) || match.Groups["sid"].Value != AccountSid)
        {
            return Error(401, 20003, "Authenticate");
        }

        if (request.Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) != true)
        {
            return Error(400, 20001, "The request must be a form");
        }

        var form = Form(request);
        var to = form.GetValueOrDefault("To");
        if (to is null || !E164().IsMatch(to))
        {
            return Error(400, 21211, $"Invalid 'To' Phone Number: {to}");
        }

        var from = form.GetValueOrDefault("From");
        var message = match.Groups["resource"].Value == "Messages";
        if (message)
        {
            var service = form.GetValueOrDefault("MessagingServiceSid");
            if (from is null && service is null)
            {
                return Error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
            }

            if (from is not null && !E164().IsMatch(from))
            {
                return Error(400, 21212, $"Invalid From Number (caller ID): {from}");
            }

            if (string.IsNullOrEmpty(form.GetValueOrDefault("Body")))
            {
                return Error(400, 21602, "Message body is required.");
            }
        }
        else
        {
            if (from is null || !E164().IsMatch(from))
            {
                return Error(400, 21213, "Caller phone number is required");
            }

            if (!form.ContainsKey("Twiml") && !form.ContainsKey("Url"))
            {
                return Error(400, 21205, "Url parameter is required.");
            }
        }

        var sid = (message ? "SM" : "CA") + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var answer = new JsonObject
        {
            ["sid"] = sid,
            ["account_sid"] = AccountSid,
            ["to"] = to,
            ["from"] = from,
            ["status"] = "queued",
        };
        if (message)
        {
            answer["body"] = form["Body"];
            answer["messaging_service_sid"] = form.GetValueOrDefault("MessagingServiceSid");
        }

        return new Answer(201, answer.ToJsonString());
    }

    public static Answer Error(int status, int code, string message) =>
        new(status, new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
            ["status"] = status,
        }.ToJsonString());

    [GeneratedRegex("^/2010-04-01/Accounts/(?<sid>[^/]+)/(?<resource>Messages|Calls)\\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex("^\\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();
}
