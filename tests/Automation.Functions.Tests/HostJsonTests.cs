using Automation.Testing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.DurableLocal;
using Automation.Runtime;
using Automation.Runtime.Storage;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Automation.Functions.Tests;

/// <summary>The Functions app's host.json and local.settings.sample.json against what the code and the bindings expect.</summary>
public sealed partial class HostJsonTests
{
    private static JsonElement HostJson()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("host.json")));
        return document.RootElement.Clone();
    }

    private static Dictionary<string, string> LocalSettings()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    [Fact]
    public void Host_json_is_an_isolated_worker_app_with_no_route_prefix_and_the_shared_task_hub()
    {
        var root = HostJson();
        var extensions = root.GetProperty("extensions");

        Assert.False(root.TryGetProperty("customHandler", out _));
        Assert.Equal("", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        var durable = extensions.GetProperty("durableTask");
        Assert.Equal("%Automation__Durable__HubName%", durable.GetProperty("hubName").GetString());
        Assert.True(durable.GetProperty("extendedSessionsEnabled").GetBoolean());
        Assert.Equal(1, durable.GetProperty("storageProvider").GetProperty("partitionCount").GetInt32());
    }

    [Fact]
    public void Host_json_hides_a_dead_workers_messages_as_long_as_the_local_host_does()
    {
        // The provider's default is 5 minutes: a run whose worker died would wait that long before another resumes it.
        var provider = HostJson().GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");
        var local = new LocalDurableOptions();

        Assert.Equal(local.ControlQueueVisibilityTimeout, TimeSpan.Parse(provider.GetProperty("controlQueueVisibilityTimeout").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal(local.WorkItemVisibilityTimeout, TimeSpan.Parse(provider.GetProperty("workItemQueueVisibilityTimeout").GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Queue_trigger_decodes_messages_the_way_the_runtime_encodes_them_and_poisons_them_when_the_runtime_gives_up()
    {
        var queues = HostJson().GetProperty("extensions").GetProperty("queues");
        await using var app = new FunctionsApp();
        var storage = app.Get<AutomationStorage>();
        await storage.EnsureCreatedAsync();
        const string message = """{"probe":"queue encoding"}""";

        // The runtime's own client writes; a plain client reads what the queue really holds, as the trigger does.
        await storage.Events.SendMessageAsync(message);
        var connection = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString;
        var stored = (await new QueueClient(connection, storage.Events.Name).PeekMessageAsync()).Value.Body.ToString();

        var decoded = queues.GetProperty("messageEncoding").GetString() switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(stored)),
            "none" => stored,
            var other => throw new InvalidOperationException($"host.json has an unknown queue messageEncoding '{other}'"),
        };
        Assert.Equal(message, decoded);
        Assert.Equal(app.Get<IOptions<RunnerOptions>>().Value.MaxDequeueCount, queues.GetProperty("maxDequeueCount").GetInt32());
    }

    [Fact]
    public void Local_settings_sample_runs_the_isolated_worker_on_azurite_and_defines_what_the_bindings_read()
    {
        var values = LocalSettings();

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal(new StorageNames(values["Automation__Storage__Prefix"]).EventsQueue, values["AutomationEventsQueue"]);
        Assert.Equal("automation", values["Automation__Durable__HubName"]);
        foreach (var function in FunctionMetadata.All)
        {
            var strings = function.Bindings.SelectMany(b => b.EnumerateObject()).Where(p => p.Value.ValueKind == JsonValueKind.String).ToArray();
            foreach (var setting in strings.SelectMany(p => SettingPattern().Matches(p.Value.GetString()!)).Select(m => m.Groups[1].Value))
            {
                Assert.True(values.ContainsKey(setting), $"{function.Name} reads %{setting}%, missing from local.settings.sample.json");
            }

            foreach (var connection in strings.Where(p => p.Name == "connection").Select(p => p.Value.GetString()!))
            {
                Assert.True(
                    values.Keys.Any(k => k == connection || k.StartsWith(connection + "__", StringComparison.Ordinal)),
                    $"{function.Name} connects with {connection}, missing from local.settings.sample.json");
            }
        }
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingPattern();
}
