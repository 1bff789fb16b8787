using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Automation.Bench;

/// <summary>
/// The system the benchmark's webhooks call: Kestrel on 127.0.0.1, answering 200 with no body at once. Steps call
/// <c>/p/{phase}/{step}/{eventId}</c>, so the receiver knows which event's which step arrived, and when, without
/// reading storage (which would add to the transactions being counted).
/// </summary>
public sealed class Receiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<(string Phase, string Step, string EventId), DateTimeOffset> first = new();
    private readonly ConcurrentDictionary<(string Phase, string Step), int> distinct = new();
    private readonly ConcurrentDictionary<(string Phase, string Step, string EventId), int> hits = new();
    private readonly ConcurrentDictionary<string, int> keys = new(StringComparer.Ordinal);
    private long requests;
    private long repeated;

    private Receiver(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests that carried an <c>Idempotency-Key</c> seen before (a step sent again after a crash or race).</summary>
    public long Repeated => Interlocked.Read(ref repeated);

    public long Requests => Interlocked.Read(ref requests);

    public static async Task<Receiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new Receiver(app);
        app.Run(receiver.Handle);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>The URL template a step of <paramref name="phase"/> calls (the event id is rendered by the runtime).</summary>
    public string StepUrl(string phase, string step) => $"{BaseUrl}/p/{phase}/{step}/{{{{ event.id }}}}";

    /// <summary>The URL of one event's step, for callers that render it themselves (the baseline).</summary>
    public string Url(string phase, string step, string eventId) => $"{BaseUrl}/p/{phase}/{step}/{Uri.EscapeDataString(eventId)}";

    /// <summary>How many distinct events of <paramref name="phase"/> reached <paramref name="step"/>.</summary>
    public int Count(string phase, string step) => distinct.GetValueOrDefault((phase, step));

    /// <summary>When the step of the event first arrived; null if it never did.</summary>
    public DateTimeOffset? FirstAt(string phase, string step, string eventId) =>
        first.TryGetValue((phase, step, eventId), out var at) ? at : null;

    /// <summary>How many requests the step of the event made (more than one: it was sent again).</summary>
    public int Hits(string phase, string step, string eventId) => hits.GetValueOrDefault((phase, step, eventId));

    private Task Handle(HttpContext context)
    {
        var at = DateTimeOffset.UtcNow;
        Interlocked.Increment(ref requests);
        var parts = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["p", var phase, var step, var eventId])
        {
            hits.AddOrUpdate((phase, step, eventId), 1, (_, n) => n + 1);
            if (first.TryAdd((phase, step, eventId), at))
            {
                distinct.AddOrUpdate((phase, step), 1, (_, n) => n + 1);
            }

            var key = context.Request.Headers["Idempotency-Key"].ToString();
            // The baseline's activities send no key: only the runs' steps do.
            if (key.Length > 0 && keys.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref repeated);
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
