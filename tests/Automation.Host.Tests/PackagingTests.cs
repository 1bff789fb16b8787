using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Host.Tests.Packaging;
using Automation.Runtime;
using Automation.Runtime.Storage;
using Automation.Testing;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Automation.Host.Tests;

/// <summary>
/// The Azure Functions package (scripts/package.sh) and the files azd and the Functions host read:
/// host.json, one function.json per function, azure.yaml, local.settings.sample.json, the app settings
/// in Bicep. Route tests compare function.json routes with the endpoints the host really maps.
/// </summary>
public sealed partial class PackagingTests(PackageFixture package, FunctionsHostFactory host)
    : IClassFixture<PackageFixture>, IClassFixture<FunctionsHostFactory>
{
    public static TheoryData<string> HttpFunctions => new(FunctionDefinition.All.Where(f => f.IsHttp).Select(f => f.Name));

    public static TheoryData<string> NonHttpFunctions => new(FunctionDefinition.All.Where(f => !f.IsHttp).Select(f => f.Name));

    [Fact]
    public async Task Package_has_host_json_at_its_root_naming_an_executable_it_contains()
    {
        var app = await package.GetAsync();

        var hostJson = Path.Combine(app.Folder, "host.json");
        Assert.True(File.Exists(hostJson), $"no host.json at the package root:\n{app.Log}");
        Assert.Equal(File.ReadAllText(RepositoryRoot.Combine("host.json")), File.ReadAllText(hostJson));

        using var document = JsonDocument.Parse(File.ReadAllText(hostJson));
        var executable = document.RootElement.GetProperty("customHandler").GetProperty("description")
            .GetProperty("defaultExecutablePath").GetString()!;
        var path = Path.Combine(app.Folder, executable);
        Assert.True(File.Exists(path), $"host.json names {executable}, which the package lacks");
        Assert.True(File.Exists(Path.Combine(app.Folder, Path.GetFileName(path) + ".dll")), "the executable's assembly is missing");
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute), $"{executable} is not executable");
        }
    }

    [Fact]
    public async Task Package_brings_its_own_runtime_because_the_custom_handler_image_has_no_dotnet_10()
    {
        var app = await package.GetAsync();

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(app.Folder, "Automation.Host.runtimeconfig.json")));
        var options = document.RootElement.GetProperty("runtimeOptions");
        Assert.True(options.TryGetProperty("includedFrameworks", out var included), "the publish is framework-dependent");
        Assert.Contains(included.EnumerateArray(), f => f.GetProperty("name").GetString() == "Microsoft.AspNetCore.App");
        Assert.True(File.Exists(Path.Combine(app.Folder, "libhostfxr.so")), "the .NET host library is not in the package");
    }

    [Fact]
    public async Task Packaged_executable_listens_on_the_loopback_port_the_functions_host_gives_it()
    {
        var app = await package.GetAsync();
        await using var handler = PackagedHandler.Start(app, "Automation.Host");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        // The Functions host waits a bounded time for the handler to listen; anything HTTP from /health proves it is up
        // (the status also reflects storage, which this test does not judge).
        var answer = await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{handler.Port}/health"));
                    return (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return handler.HasExited ? -1 : 0;
                }
            },
            status => status != 0,
            $"the packaged handler to listen on 127.0.0.1:{handler.Port}");

        Assert.True(answer > 0, $"the packaged handler exited:\n{handler.Log}");
    }

    [Fact]
    public async Task Package_has_one_folder_per_function_with_its_function_json_at_the_root()
    {
        var app = await package.GetAsync();

        var packaged = FunctionDefinition.LoadAll(app.Folder);
        Assert.Equal(FunctionDefinition.All.Select(f => f.Name), packaged.Select(f => f.Name));
        foreach (var function in FunctionDefinition.All)
        {
            Assert.Equal(
                File.ReadAllText(Path.Combine(FunctionDefinition.SourceFolder, function.Name, "function.json")),
                File.ReadAllText(Path.Combine(app.Folder, function.Name, "function.json")));
        }

        Assert.False(Directory.Exists(Path.Combine(app.Folder, "FunctionApp")), "the publish left a nested copy of the function folders");
        Assert.False(File.Exists(Path.Combine(app.Folder, "local.settings.json")), "local settings must not be deployed");
    }

    [Fact]
    public async Task Package_zip_holds_the_folder_at_its_root_and_keeps_the_executable_bit()
    {
        var app = await package.GetAsync();

        var files = Directory.GetFiles(app.Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(app.Folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        using var zip = ZipFile.OpenRead(app.ZipPath);
        var entries = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToArray();
        Assert.Equal(files, entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        var executable = entries.Single(e => e.FullName == "Automation.Host");
        const int userExecute = 0x40; // 0o100 in the Unix mode kept in the entry's high 16 bits
        Assert.True(((executable.ExternalAttributes >> 16) & userExecute) != 0, "Automation.Host lost its execute bit in the zip");
    }

    [Fact]
    public void Every_function_json_has_one_trigger_and_http_functions_forward_to_the_handler()
    {
        Assert.NotEmpty(FunctionDefinition.All);
        foreach (var function in FunctionDefinition.All)
        {
            Assert.NotEmpty(function.Bindings);
            foreach (var binding in function.Bindings)
            {
                foreach (var property in new[] { "type", "direction", "name" })
                {
                    Assert.True(
                        binding.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0,
                        $"{function.Name}: a binding has no {property}");
                }
            }

            Assert.Single(function.Bindings, FunctionDefinition.IsTrigger);
            if (function.IsHttp)
            {
                // Forwarding applies only to functions whose sole output is the HTTP response; our host
                // does its own authentication, so the Functions keys must not stand in front of it.
                var outputs = function.Bindings.Where(b => b.GetProperty("direction").GetString() == "out").ToArray();
                Assert.Equal("http", Assert.Single(outputs).GetProperty("type").GetString());
                Assert.Equal("anonymous", function.Trigger.GetProperty("authLevel").GetString());
                Assert.NotEmpty(function.Methods);
                Assert.False(function.Route.StartsWith('/'), $"{function.Name}: routes are relative to the empty routePrefix");
            }
            else
            {
                Assert.DoesNotContain(function.Bindings, b => b.GetProperty("direction").GetString() == "out");
            }
        }
    }

    [Fact]
    public async Task Queue_triggers_decode_messages_the_way_the_runtime_encodes_them()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("host.json")));
        var encoding = document.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("messageEncoding").GetString();
        var storage = host.Services.GetRequiredService<AutomationStorage>();
        await storage.EnsureCreatedAsync();
        const string message = """{"probe":"queue encoding"}""";

        // The runtime's own client writes; a plain client reads what the queue really holds, as the trigger does.
        await storage.Events.SendMessageAsync(message);
        var connection = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.ConnectionString;
        var stored = (await new QueueClient(connection, storage.Events.Name).PeekMessageAsync()).Value.Body.ToString();

        var decoded = encoding switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(stored)),
            "none" => stored,
            _ => throw new InvalidOperationException($"host.json has an unknown queue messageEncoding '{encoding}'"),
        };
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void Host_json_forwards_http_requests_unchanged_and_poisons_queue_messages_after_five_attempts()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("host.json")));
        var root = document.RootElement;

        Assert.True(root.GetProperty("customHandler").GetProperty("enableForwardingHttpRequest").GetBoolean());
        var extensions = root.GetProperty("extensions");
        Assert.Equal("", extensions.GetProperty("http").GetProperty("routePrefix").GetString());
        Assert.Equal(5, extensions.GetProperty("queues").GetProperty("maxDequeueCount").GetInt32());
        Assert.Equal("[4.*, 5.0.0)", root.GetProperty("extensionBundle").GetProperty("version").GetString());
    }

    // Fails for an area until the host maps the routes DESIGN.md's HTTP API gives it (events, hooks,
    // workflows, runs, records, dead letters, notifications, dashboard): the function would forward
    // to nothing.
    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Every_http_function_route_reaches_a_route_the_host_serves(string name)
    {
        var function = FunctionDefinition.All.Single(f => f.Name == name);
        var route = new FunctionRoute(function.Route, Resolver);
        var endpoints = HostRoutes();

        foreach (var method in function.Methods)
        {
            Assert.True(
                endpoints.Any(e => e.Allows(method) && route.Matches(e.SamplePath)),
                $"{name} forwards {method} {function.Route}, but the host serves nothing there. Host routes:\n  "
                + string.Join("\n  ", endpoints));
        }
    }

    [Fact]
    public void Every_route_the_host_serves_is_reached_by_exactly_one_http_function()
    {
        var routes = FunctionDefinition.All.Where(f => f.IsHttp)
            .Select(f => (Function: f, Route: new FunctionRoute(f.Route, Resolver)))
            .ToArray();

        var problems = new List<string>();
        foreach (var endpoint in HostRoutes())
        {
            foreach (var method in endpoint.Methods ?? ["GET"])
            {
                var reaching = routes
                    .Where(r => r.Function.Methods.Contains(method, StringComparer.OrdinalIgnoreCase) && r.Route.Matches(endpoint.SamplePath))
                    .Select(r => r.Function.Name)
                    .ToArray();
                if (reaching.Length != 1)
                {
                    problems.Add($"{method} {endpoint.Pattern} ({endpoint.SamplePath}): reached by [{string.Join(", ", reaching)}]");
                }
            }
        }

        // The Functions host tries function routes in registration order, so an overlap is as bad as a gap.
        Assert.True(problems.Count == 0, "Each host route needs exactly one HTTP function:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void No_http_function_reaches_the_invocation_endpoints_of_the_functions_host()
    {
        // Those endpoints take queue and Service Bus messages on trust: only the Functions host may post there.
        foreach (var function in FunctionDefinition.All.Where(f => f.IsHttp))
        {
            var route = new FunctionRoute(function.Route, Resolver);
            foreach (var target in FunctionDefinition.All.Where(f => !f.IsHttp))
            {
                Assert.False(route.Matches("/" + target.Name), $"{function.Name} ({function.Route}) forwards requests to /{target.Name}");
            }
        }
    }

    [Fact]
    public void Dashboard_root_function_matches_the_root_path_and_nothing_else()
    {
        var root = new FunctionRoute(FunctionDefinition.All.Single(f => f.Name == "DashboardRoot").Route, Resolver);

        Assert.True(root.Matches("/"));
        foreach (var path in new[] { "/health", "/app", "/api", "/EventsQueue", "/favicon.ico" })
        {
            Assert.False(root.Matches(path), $"DashboardRoot also matches {path}");
        }
    }

    // Fails until the host maps POST /{FunctionName} for every non-HTTP function (queue, Service Bus
    // and timer invocations from the Functions host); at the time of writing Scheduler has none yet
    // (issue 6, scheduled triggers).
    [Theory]
    [MemberData(nameof(NonHttpFunctions))]
    public void Every_non_http_function_has_a_handler_endpoint(string name)
    {
        var endpoints = HostEndpoint.All(host.Services);

        Assert.True(
            endpoints.Any(e => e.IsInvocationOf(name) && e.Allows("POST")),
            $"The Functions host posts {name} invocations to POST /{name}, which the host does not map. Host routes:\n  "
            + string.Join("\n  ", endpoints));
    }

    [Fact]
    public void Local_settings_sample_defines_every_setting_and_connection_the_bindings_read()
    {
        var values = LocalSettings();

        foreach (var function in FunctionDefinition.All)
        {
            foreach (var setting in function.SettingReferences)
            {
                Assert.True(values.ContainsKey(setting), $"{function.Name} reads %{setting}%, missing from local.settings.sample.json");
            }

            foreach (var connection in function.Connections)
            {
                Assert.True(
                    values.Keys.Any(k => k == connection || k.StartsWith(connection + "__", StringComparison.Ordinal)),
                    $"{function.Name} connects with {connection}, missing from local.settings.sample.json");
            }
        }
    }

    [Fact]
    public void Local_settings_sample_runs_the_custom_handler_on_azurite_with_queue_names_from_the_storage_prefix()
    {
        var values = LocalSettings();

        Assert.Equal("custom", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("UseDevelopmentStorage=true", values["AzureWebJobsStorage"]);
        Assert.Equal("UseDevelopmentStorage=true", values["Automation__Storage__ConnectionString"]);
        var names = new StorageNames(values["Automation__Storage__Prefix"]);
        Assert.Equal(names.EventsQueue, values["AutomationEventsQueue"]);
    }

    [Fact]
    public void Bicep_names_the_queues_as_the_runtime_does_for_its_default_prefix()
    {
        // main.bicep derives the trigger queue names as '<prefix>-events' and '<prefix>-steps'; the runtime
        // normalizes the prefix first, so the two agree only for a prefix that is already normalized.
        var main = File.ReadAllText(RepositoryRoot.Combine("infra", "main.bicep"));
        var prefix = BicepDefault().Match(main) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no storagePrefix default in main.bicep");
        Assert.Contains("events: '${storagePrefix}-events'", main, StringComparison.Ordinal);

        var names = new StorageNames(prefix);
        Assert.Equal($"{prefix}-events", names.EventsQueue);
    }

    [Fact]
    public void Bicep_app_settings_define_every_setting_and_connection_the_bindings_read()
    {
        var bicep = File.ReadAllText(RepositoryRoot.Combine("infra", "modules", "functionapp.bicep"));
        var keys = SettingKey().Matches(bicep).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var function in FunctionDefinition.All)
        {
            foreach (var setting in function.SettingReferences)
            {
                Assert.True(keys.Contains(setting), $"{function.Name} reads %{setting}%, which functionapp.bicep does not set");
            }

            foreach (var connection in function.Connections)
            {
                // Identity-based: the namespace or account plus credential and client id of the app's identity.
                Assert.True(keys.Any(k => k.StartsWith(connection + "__", StringComparison.Ordinal)), $"{function.Name}: no {connection}__* settings");
                Assert.Contains($"{connection}__credential", keys);
                Assert.Contains($"{connection}__clientId", keys);
            }
        }
    }

    [Fact]
    public void Azure_yaml_deploys_the_zip_that_the_package_script_builds_to_a_function_app()
    {
        var yaml = SimpleYaml.Read(RepositoryRoot.Combine("azure.yaml"));

        Assert.Equal("function", yaml["services.functions.host"]);
        Assert.Equal("custom", yaml["services.functions.language"]);
        var project = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, yaml["services.functions.project"]));
        Assert.True(Directory.Exists(project), $"azure.yaml names project {project}, which does not exist");
        Assert.Equal(
            RepositoryRoot.Combine("artifacts", "functionapp.zip"),
            Path.GetFullPath(Path.Combine(project, yaml["services.functions.dist"])));

        var hook = yaml["services.functions.hooks.prepackage.posix.run"];
        Assert.True(File.Exists(Path.Combine(project, hook)), $"the prepackage hook runs {hook}, which does not exist");
        Assert.Equal(RepositoryRoot.Combine("scripts", "package.sh"), Path.GetFullPath(Path.Combine(project, hook)));

        Assert.True(File.Exists(RepositoryRoot.Combine(yaml["infra.path"], yaml["infra.module"] + ".bicep")), "azure.yaml names no infra module");
    }

    private IInlineConstraintResolver Resolver => host.Services.GetRequiredService<IInlineConstraintResolver>();

    /// <summary>Host routes that requests from outside reach; the invocation endpoints are for the Functions host only.</summary>
    private HostEndpoint[] HostRoutes() =>
        HostEndpoint.All(host.Services)
            .Where(e => !FunctionDefinition.All.Any(f => !f.IsHttp && e.IsInvocationOf(f.Name)))
            .ToArray();

    private static Dictionary<string, string> LocalSettings()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^param storagePrefix string = '([^']*)'", RegexOptions.Multiline)]
    private static partial Regex BicepDefault();

    /// <summary>Keys of the app settings objects in functionapp.bicep ("  Name: value" lines).</summary>
    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:", RegexOptions.Multiline)]
    private static partial Regex SettingKey();
}
