using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication.Email;

/// <summary>What a tracking link stands for: which workflow step sent which message to whom, and for a click where it goes.</summary>
public sealed record TrackingClaims(
    [property: JsonPropertyName("w")] string WorkflowId,
    [property: JsonPropertyName("s")] string StepId,
    [property: JsonPropertyName("r")] string RunId,
    [property: JsonPropertyName("mo")] string Module,
    [property: JsonPropertyName("id")] string RecordId,
    [property: JsonPropertyName("m")] string MessageId,
    [property: JsonPropertyName("a")] string Address)
{
    /// <summary>Where a click link leads (the original URL of the email).</summary>
    [JsonPropertyName("u")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }
}

/// <summary>
/// Open pixels, click redirects and unsubscribe links. A link carries its claims in the URL, signed with HMAC-SHA256
/// (<c>{base64url claims}~{base64url signature}</c>), so no row is written per link and a click can only redirect to
/// the URL the email was sent with. Links point at <see cref="EmailOptions.TrackingBaseUrl"/>; without it emails go
/// out untracked and without an unsubscribe link.
/// </summary>
public sealed partial class EmailTracking(IOptions<EmailOptions> options, CommunicationTables tables) : IDisposable
{
    public const string OpenPath = "/t/o/";
    public const string ClickPath = "/t/c/";
    public const string UnsubscribePath = "/t/u/";

    private const int SignatureBytes = 16;
    private static readonly JsonSerializerOptions ClaimsJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    private readonly SemaphoreSlim secretLock = new(1, 1);
    private byte[]? secret;

    public bool Enabled => options.Value.TrackingBaseUrl is not null;

    /// <summary>A signed token for <paramref name="claims"/>.</summary>
    public async Task<string> TokenAsync(TrackingClaims claims, CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, ClaimsJson);
        var key = await SecretAsync(cancellationToken);
        var signature = HMACSHA256.HashData(key, payload).AsSpan(0, SignatureBytes);
        return Base64Url(payload) + "~" + Base64Url(signature);
    }

    /// <summary>The claims of a token this service signed; null for anything else (tampered, truncated, foreign).</summary>
    public async Task<TrackingClaims?> ReadAsync(string? token, CancellationToken cancellationToken = default)
    {
        var parts = (token ?? "").Split('~');
        if (parts.Length != 2 || !TryBase64Url(parts[0], out var payload) || !TryBase64Url(parts[1], out var given) || given.Length != SignatureBytes)
        {
            return null;
        }

        var key = await SecretAsync(cancellationToken);
        var expected = HMACSHA256.HashData(key, payload).AsSpan(0, SignatureBytes);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TrackingClaims>(payload, ClaimsJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Url(string path, string token) =>
        options.Value.TrackingBaseUrl!.AbsoluteUri.TrimEnd('/') + path + token + (path == OpenPath ? ".gif" : "");

    /// <summary>
    /// The HTML with every http(s) link turned into a click redirect and an open pixel before <c>&lt;/body&gt;</c> (or at
    /// the end). Links to the unsubscribe URL, <c>mailto:</c>, <c>tel:</c> and anchors stay as they are.
    /// </summary>
    public async Task<string> InstrumentAsync(string html, TrackingClaims claims, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(claims);
        var builder = new StringBuilder(html.Length + 512);
        var last = 0;
        foreach (Match match in HrefPattern().Matches(html))
        {
            var url = WebUtility.HtmlDecode(match.Groups["url"].Value);
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || url.Contains(UnsubscribePath, StringComparison.Ordinal))
            {
                continue;
            }

            var token = await TokenAsync(claims with { Url = url }, cancellationToken);
            var group = match.Groups["url"];
            builder.Append(html, last, group.Index - last).Append(WebUtility.HtmlEncode(Url(ClickPath, token)));
            last = group.Index + group.Length;
        }

        builder.Append(html, last, html.Length - last);
        var pixel = $"<img src=\"{WebUtility.HtmlEncode(Url(OpenPath, await TokenAsync(claims, cancellationToken)))}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:none\">";
        var result = builder.ToString();
        var body = result.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        return body >= 0 ? result.Insert(body, pixel) : result + pixel;
    }

    /// <summary>
    /// The signing key: <see cref="EmailOptions.TrackingSecret"/>, else a random one kept in the templates table so that
    /// every instance, and every restart, reads links the same way.
    /// </summary>
    private async Task<byte[]> SecretAsync(CancellationToken cancellationToken)
    {
        if (secret is { } known)
        {
            return known;
        }

        await secretLock.WaitAsync(cancellationToken);
        try
        {
            if (secret is not null)
            {
                return secret;
            }

            if (!string.IsNullOrEmpty(options.Value.TrackingSecret))
            {
                return secret = Encoding.UTF8.GetBytes(options.Value.TrackingSecret);
            }

            await tables.EnsureCreatedAsync(cancellationToken);
            var row = new TableEntity("settings", "tracking-secret") { ["Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            try
            {
                await tables.Templates.AddEntityAsync(row, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // Another instance made it first: use theirs.
                row = (await tables.Templates.GetEntityAsync<TableEntity>("settings", "tracking-secret", cancellationToken: cancellationToken)).Value;
            }

            return secret = Convert.FromBase64String(row.GetString("Secret")!);
        }
        finally
        {
            secretLock.Release();
        }
    }

    public void Dispose() => secretLock.Dispose();

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length > 8192)
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex("""<a\s[^>]*?href\s*=\s*(?<q>["'])(?<url>[^"']+)\k<q>""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HrefPattern();
}
