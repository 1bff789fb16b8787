using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Host.Tests.Crash;

/// <summary>One webhook request as the receiver saw it, in arrival order (<see cref="Sequence"/>), and when it arrived.</summary>
public sealed record Hit(long Sequence, string Key, string RunId, string StepId, int Attempt, DateTimeOffset At);

/// <summary>
/// The outside system the crash test's webhooks reach: Kestrel on 127.0.0.1, answering 200. It keeps every request's
/// <c>Idempotency-Key</c> (<c>{runId}:{stepId}:{attempt}</c>) in arrival order. It can hold the answer to the first
/// request for a step, so that the host can be killed after the effect happened and before it learned of it, or
/// answer every request slowly (<see cref="AnswerDelay"/>), so that a kill finds steps in flight.
/// </summary>
public sealed class CrashReceiver : IAsyncDisposable
{
    private static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(30);

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Hit> hits = new();
    private long sequence;
    private Hold? hold;

    private CrashReceiver(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<Hit> Hits => [.. hits.OrderBy(h => h.Sequence)];

    public int Count => hits.Count;

    /// <summary>How long every answer takes (none by default).</summary>
    public TimeSpan AnswerDelay { get; set; }

    public IReadOnlyList<Hit> For(string runId) => [.. Hits.Where(h => h.RunId == runId)];

    public static async Task<CrashReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new CrashReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    public string Url(string stepId) => $"{BaseUrl}/hook/{stepId}";

    /// <summary>
    /// The next request for <paramref name="stepId"/> is recorded and then not answered until <see cref="Release"/>
    /// (or 30 s). The returned task completes when that request has arrived.
    /// </summary>
    public Task<Hit> HoldNext(string stepId)
    {
        var next = new Hold(stepId);
        hold = next;
        return next.Arrived.Task;
    }

    public void Release() => hold?.Released.TrySetResult();

    private async Task HandleAsync(HttpContext context)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var hit = Parse(Interlocked.Increment(ref sequence), key);
        if (hit is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        hits.Enqueue(hit);
        if (hold is { } h && h.StepId == hit.StepId && h.Claim())
        {
            h.Arrived.TrySetResult(hit);
            try
            {
                await h.Released.Task.WaitAsync(MaxHold, context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                // The caller died while we held its answer: that is the point.
                return;
            }
        }

        if (AnswerDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(AnswerDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary><c>{runId}:{stepId}:{attempt}</c>; a run id has no colon, so the last two colons split it.</summary>
    private static Hit? Parse(long sequence, string key)
    {
        var last = key.LastIndexOf(':');
        var middle = last > 0 ? key.LastIndexOf(':', last - 1) : -1;
        if (middle <= 0 || !int.TryParse(key.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
        {
            return null;
        }

        return new Hit(sequence, key, key[..middle], key[(middle + 1)..last], attempt, DateTimeOffset.UtcNow);
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private sealed class Hold(string stepId)
    {
        private int claimed;

        public string StepId { get; } = stepId;

        public TaskCompletionSource<Hit> Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Claim() => Interlocked.Exchange(ref claimed, 1) == 0;
    }
}
