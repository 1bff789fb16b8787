using Azure;
using Microsoft.Extensions.Options;

namespace Automation.Api.Http;

/// <summary>
/// A request that failed because storage could not be reached (no answer, a refused connection, a 5xx from the
/// service) is answered <c>503</c> with <c>Retry-After</c> and a problem body, as <c>/health</c> answers, instead of a
/// bare 500: the client (a CRM posting events, the dashboard) learns that trying again later is right. Nothing was
/// lost: intake answers 202 only once an event is stored and queued, and a retried event is deduplicated.
/// </summary>
public sealed partial class StorageOutage(RequestDelegate next, ILogger<StorageOutage> logger, IOptions<StorageOutageOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (Unreachable(e) is { } cause && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            // Expected while storage is down: one line without a stack trace.
            StorageUnavailable(logger, context.Request.Method, context.Request.Path, cause.Message);
            var retryAfter = Math.Max(1, (int)options.Value.RetryAfter.TotalSeconds);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
                $"Storage could not be reached, so nothing was done; try again in {retryAfter} s. GET /health shows when it is back.");
        }
    }

    /// <summary>The storage failure inside <paramref name="e"/> (the SDK wraps retried ones in an AggregateException), if that is what it is.</summary>
    public static Exception? Unreachable(Exception e) => e switch
    {
        RequestFailedException { Status: 0 or >= 500 } failed => failed,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Unreachable).FirstOrDefault(x => x is not null),
        _ when e.InnerException is { } inner => Unreachable(inner),
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage unreachable: {Method} {Path} answered 503 ({Reason})")]
    private static partial void StorageUnavailable(ILogger logger, string method, string path, string reason);
}

/// <summary>Section <c>Automation:Storage</c>: <c>{ "OutageRetryAfter": "00:00:05" }</c>, the Retry-After of a 503 during an outage.</summary>
public sealed class StorageOutageOptions
{
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
