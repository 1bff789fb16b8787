using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Testing;

/// <summary>What a local stand-in answered: status, body (JSON unless <paramref name="ContentType"/> says otherwise), headers.</summary>
public sealed record Answer(int Status, string Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) standing for an outside service. Subclasses answer as the service
/// would, checking each request the way it does (path, credentials, fields); tests can queue failures to be answered
/// first (<see cref="FailNext"/>). Every request is recorded.
/// </summary>
public abstract class LocalServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> requests = new();
    private readonly ConcurrentQueue<Answer> failures = new();
    private WebApplication? app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Requests => requests.ToArray();

    /// <summary>The next requests get these answers, in order, before the service answers normally again.</summary>
    public void FailNext(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            failures.Enqueue(answer);
        }
    }

    protected async Task ListenAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>The service's answer to a request (already recorded; not a queued failure).</summary>
    protected abstract Answer Respond(ReceivedRequest request);

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "/", headers, body, DateTimeOffset.UtcNow);
        requests.Enqueue(request);
        var answer = failures.TryDequeue(out var failure) ? failure : Respond(request);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = answer.ContentType;
        await context.Response.WriteAsync(answer.Body);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
