using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Dashboard.Tests;

/// <summary>
/// A real HTTP server on loopback that call_webhook steps call: it answers 200, or the status set for a path
/// (a 500 makes a step fail), and counts the calls it received.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> calls = new(StringComparer.Ordinal);
    private WebApplication? app;

    public Uri BaseUrl { get; private set; } = null!;

    public string Url(string path) => new Uri(BaseUrl, path.TrimStart('/')).ToString();

    public void AnswerWith(string path, int status) => statuses["/" + path.TrimStart('/')] = status;

    public int Calls(string path) => calls.TryGetValue("/" + path.TrimStart('/'), out var n) ? n : 0;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "/";
            calls.AddOrUpdate(path, 1, (_, n) => n + 1);
            var status = statuses.TryGetValue(path, out var s) ? s : 200;
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(status < 400 ? "{\"ok\":true}" : "{\"error\":\"the receiver was told to fail\"}");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
