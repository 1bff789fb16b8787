using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Testing;

/// <summary>A request as the receiver saw it.</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>A canned answer: status, body, extra headers, and how long to hold it back.</summary>
public sealed record Reply(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan? Delay = null);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) standing for the systems webhooks call. It records every request
/// and answers 200 unless told otherwise for a path (a queue of replies, then 200 again).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> replies = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = address.TrimEnd('/');
        return receiver;
    }

    public string Url(string path) => BaseUrl + "/" + path.TrimStart('/');

    public IReadOnlyList<ReceivedRequest> Requests => requests.ToArray();

    public IReadOnlyList<ReceivedRequest> RequestsTo(string path) =>
        requests.Where(r => r.Path == "/" + path.TrimStart('/')).ToArray();

    /// <summary>The next requests to <paramref name="path"/> get these answers, in order; later ones get 200.</summary>
    public void Respond(string path, params Reply[] answers)
    {
        var queue = replies.GetOrAdd("/" + path.TrimStart('/'), _ => new ConcurrentQueue<Reply>());
        foreach (var answer in answers)
        {
            queue.Enqueue(answer);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var path = context.Request.Path.Value ?? "/";
        requests.Enqueue(new ReceivedRequest(context.Request.Method, path, headers, body, DateTimeOffset.UtcNow));
        var reply = replies.TryGetValue(path, out var queue) && queue.TryDequeue(out var next) ? next : new Reply(200, """{"ok":true}""");
        if (reply.Delay is { } delay)
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
