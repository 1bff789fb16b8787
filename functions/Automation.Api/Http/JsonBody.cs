using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Automation.Engine.Validation;
using Microsoft.Extensions.Options;

namespace Automation.Api.Http;

/// <summary>
/// Reads a JSON request body with its own clear errors: 415 for another content type, 413 past the
/// size limit, 400 for malformed JSON with line and position. Endpoints take the raw bytes too,
/// because intake signatures are computed over them.
/// </summary>
public static class JsonBody
{
    public static async Task<BodyResult> ReadAsync(HttpContext context, CancellationToken cancellationToken = default)
    {
        var request = context.Request;
        var limit = context.RequestServices.GetRequiredService<IOptions<HttpLimitsOptions>>().Value.MaxBodyBytes;

        if (!IsJson(request.ContentType))
        {
            return BodyResult.Fail(Problems.Status(
                StatusCodes.Status415UnsupportedMediaType,
                "Unsupported content type",
                $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }

        if (request.ContentLength > limit)
        {
            return BodyResult.Fail(TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return BodyResult.Fail(TooLarge(limit));
            }

            buffer.Write(chunk, 0, read);
        }

        var raw = buffer.ToArray();
        if (raw.Length == 0)
        {
            return BodyResult.Fail(Problems.Field("$", "The body is empty; send a JSON document."));
        }

        try
        {
            using var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 64 });
            if (TextErrors.Find(raw, document.RootElement) is { } bad)
            {
                return BodyResult.Fail(Problems.Field(bad.Path, bad.Message));
            }

            return new BodyResult(document.RootElement.Clone(), raw, null);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {e.BytePositionInLine + 1}" : string.Empty;
            return BodyResult.Fail(Problems.Field("$", $"The body is not valid JSON{where}."));
        }
    }

    private static IResult TooLarge(long limit) => Problems.Status(
        StatusCodes.Status413PayloadTooLarge,
        "Body too large",
        $"The body is larger than {limit} bytes (Automation:Http:MaxBodyBytes).");

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>
/// The parser accepts strings whose bytes are not UTF-8 (and escaped lone surrogates such as <c>"\ud800"</c>): reading
/// one later throws (a 500) or replaces it with U+FFFD when it is written again (a record silently changed). So every
/// body is checked here, once, and the first such string is a 400 naming its field.
/// </summary>
internal static class TextErrors
{
    public static (string Path, string Message)? Find(byte[] raw, JsonElement root) =>
        // Valid UTF-8 without an escaped surrogate cannot hold a bad string: skip the walk (the common case).
        Utf8.IsValid(raw) && raw.AsSpan().IndexOf("\\u"u8) < 0
            ? null
            : Walk(root, "");

    private static (string Path, string Message)? Walk(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Readable(element) ? null : (Key(path), "The text is not valid UTF-8 (or holds a lone surrogate); send it as UTF-8.");
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, JsonPaths.Index(path, i++)) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return (Key(path), "A property name here is not valid UTF-8; send it as UTF-8.");
                    }

                    if (!Strict(name))
                    {
                        return (Key(path), "A property name here holds a lone surrogate; send it as UTF-8.");
                    }

                    if (Walk(property.Value, JsonPaths.Property(path, name)) is { } bad)
                    {
                        return bad;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Readable(JsonElement element)
    {
        try
        {
            return Strict(element.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    // Well-formed UTF-16 (every surrogate in a pair) is what round-trips through UTF-8 unchanged.
    private static bool Strict(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static string Key(string path) => path.Length == 0 ? "$" : path;
}

public readonly record struct BodyResult(JsonElement Json, byte[] Raw, IResult? Error)
{
    public static BodyResult Fail(IResult error) => new(default, [], error);
}

/// <summary>Section <c>Automation:Http</c>: <c>{ "MaxBodyBytes": 1048576 }</c>.</summary>
public sealed class HttpLimitsOptions
{
    /// <summary>Largest request body accepted; 100 events or a 256 KB definition fit comfortably.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;
}
