using System.Diagnostics;

namespace Automation.Api.Http;

/// <summary>
/// One Information line per request: method, path (never the query, which may hold tokens, nor the body), status and
/// duration. ASP.NET Core's own per-request lines (request starting, finished, endpoint matched, executing) are
/// filtered to Warning in <see cref="ApiSetup"/>, so this is the one line an operator reads.
/// </summary>
public sealed partial class RequestLog(RequestDelegate next, ILogger<RequestLog> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Served(logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, elapsed);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} in {ElapsedMs:0} ms")]
    private static partial void Served(ILogger logger, string method, string path, int status, double elapsedMs);
}
