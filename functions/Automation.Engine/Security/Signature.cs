using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Automation.Engine.Security;

/// <summary>
/// The <c>X-Automation-Signature</c> scheme, used for intake and for outgoing webhooks:
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>.
/// Signing the timestamp with the body stops replays after the tolerance window.
/// </summary>
public static class Signature
{
    public const string HeaderName = "X-Automation-Signature";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Create(string secret, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>
    /// Checks a header against every secret (several, so they can be rotated), comparing in constant time.
    /// </summary>
    public static SignatureCheck Verify(
        string? header, IReadOnlyList<string> secrets, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return SignatureCheck.Missing;
        }

        string? t = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                t = part[2..];
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && TryHex(part[3..], out var mac))
            {
                candidates.Add(mac);
            }
        }

        if (t is null || candidates.Count == 0
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SignatureCheck.Malformed;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age.Duration() > (tolerance ?? DefaultTolerance))
        {
            return SignatureCheck.Stale;
        }

        var match = false;
        foreach (var secret in secrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }

            var expected = Mac(secret, t, body);
            foreach (var candidate in candidates)
            {
                match |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }
        }

        return match ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    private static byte[] Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(t + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    private static bool TryHex(string text, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}

public enum SignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Stale,
    Mismatch,
}
