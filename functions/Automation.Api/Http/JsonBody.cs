using System.Text.Json;
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
