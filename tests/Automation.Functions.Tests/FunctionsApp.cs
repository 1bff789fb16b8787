using Automation.Functions;
using Automation.Runtime.Storage;
using Automation.Testing;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automation.Functions.Tests;

/// <summary>
/// The Functions app's services as its Program registers them (<see cref="FunctionsSetup.AddAutomationFunctions"/>),
/// on the shared Azurite with tables and queues of its own and a manual clock, without the Functions host: the tests
/// play the host's part and call the function classes themselves.
/// </summary>
public sealed class FunctionsApp : IAsyncDisposable
{
    public const string AdminKey = "functions-test-admin-key";

    private readonly WebApplication app;

    public FunctionsApp()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Automation:Storage:Prefix"] = Prefix,
            ["Automation:Admin:Keys:0"] = AdminKey,
        });
        builder.AddAutomationFunctions();
        builder.Services.AddSingleton<TimeProvider>(Clock);
        app = builder.Build();

        // The task hub client the Functions host would bind; nothing these tests call reaches a task hub through it.
        DurableClient = new GrpcDurableTaskClient(
            "functions-tests",
            new GrpcDurableTaskClientOptions { Channel = GrpcChannel.ForAddress("http://127.0.0.1:9") },
            NullLogger.Instance);
    }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 9, 7, 59, 30, TimeSpan.Zero));

    public string Prefix { get; } = "f" + Guid.NewGuid().ToString("N")[..10];

    public IServiceProvider Services => app.Services;

    public DurableTaskClient DurableClient { get; }

    public AutomationStorage Storage => Get<AutomationStorage>();

    public T Get<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>A function class as the worker activates it: constructor injection from the app's services.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(app.Services);

    /// <summary>A request as the worker's ASP.NET Core server hands it to an HTTP function.</summary>
    public DefaultHttpContext Request(string method, string path, string? bearer = null)
    {
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = path;
        if (bearer is not null)
        {
            context.Request.Headers.Authorization = "Bearer " + bearer;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    public async ValueTask DisposeAsync()
    {
        await DurableClient.DisposeAsync();
        var storage = Storage;
        foreach (var table in storage.Names.Tables)
        {
            await storage.TableService.DeleteTableAsync(table);
        }

        foreach (var queue in storage.Names.Queues)
        {
            await storage.QueueService.DeleteQueueAsync(queue);
        }

        await app.DisposeAsync();
    }
}
