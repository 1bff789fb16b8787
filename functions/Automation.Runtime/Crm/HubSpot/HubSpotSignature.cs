using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Automation.Runtime.Crm.HubSpot;

/// <summary>
/// HubSpot's v3 request signature: <c>X-HubSpot-Signature-v3</c> is base64(HMAC-SHA256(client secret, method + URI +
/// body + timestamp)), where the URI is the full URL HubSpot called (a few percent-escapes decoded) and
/// <c>X-HubSpot-Request-Timestamp</c> is in milliseconds; a request more than 5 minutes old is refused.
/// </summary>
public static class HubSpotSignature
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    // The characters HubSpot's documentation says to decode in the URI before hashing.
    private static readonly (string Escaped, string Plain)[] Decoded =
    [
        ("%3A", ":"), ("%2F", "/"), ("%3F", "?"), ("%40", "@"), ("%21", "!"), ("%24", "$"), ("%27", "'"), ("%28", "("),
        ("%29", ")"), ("%2A", "*"), ("%2C", ","), ("%3B", ";"),
    ];

    /// <summary>Null when the request is HubSpot's and fresh; else why it is refused.</summary>
    public static string? Check(string secret, string method, string uri, string body, string? timestamp, string? signature, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp))
        {
            return "X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required.";
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
        {
            return "X-HubSpot-Request-Timestamp is not a number of milliseconds.";
        }

        var age = now - DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (age > MaxAge || age < -MaxAge)
        {
            return "X-HubSpot-Request-Timestamp is more than 5 minutes away from now: a replay, or a clock far off.";
        }

        var expected = Sign(secret, method, uri, body, timestamp);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.Trim()))
            ? null
            : "X-HubSpot-Signature-v3 does not match: a different client secret, URL or body.";
    }

    public static string Sign(string secret, string method, string uri, string body, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(uri);
        var decoded = uri;
        foreach (var (escaped, plain) in Decoded)
        {
            decoded = decoded.Replace(escaped, plain, StringComparison.OrdinalIgnoreCase);
        }

        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(method + decoded + body + timestamp));
        return Convert.ToBase64String(hash);
    }
}
