using Automation.Functions.Triggers;
using Automation.Runtime.Orchestration;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests;

/// <summary>
/// Keeps the two hosts in step: every route the local host serves has exactly one HTTP function in the Functions
/// app's generated functions.metadata and every HTTP function reaches a local route; every orchestration, activity and
/// in-process trigger of the local host has its function, and the app has no function besides these.
/// </summary>
public sealed class DriftTests(LocalHost local) : IClassFixture<LocalHost>
{
    /// <summary>What the local host does in process that the Functions host triggers instead, by trigger type.</summary>
    private static readonly IReadOnlyDictionary<string, string> NonHttpFunctions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [EventsQueueFunction.Name] = "queueTrigger",
        [SchedulerFunction.Name] = "timerTrigger",
        [ServiceBusEventsFunction.Name] = "serviceBusTrigger",
    }
        .Concat(OrchestrationNames.Orchestrations.Select(n => KeyValuePair.Create(n, "orchestrationTrigger")))
        .Concat(OrchestrationNames.Activities.Select(n => KeyValuePair.Create(n, "activityTrigger")))
        .ToDictionary(StringComparer.Ordinal);

    public static TheoryData<string> HttpFunctions => new(FunctionMetadata.All.Where(f => f.IsHttp).Select(f => f.Name));

    private IInlineConstraintResolver Resolver => local.Services.GetRequiredService<IInlineConstraintResolver>();

    [Fact]
    public void Metadata_has_each_trigger_type_the_app_needs()
    {
        var types = FunctionMetadata.All.Select(f => f.TriggerType).ToHashSet(StringComparer.Ordinal);

        foreach (var type in new[] { "httpTrigger", "queueTrigger", "timerTrigger", "serviceBusTrigger", "orchestrationTrigger", "activityTrigger" })
        {
            Assert.Contains(type, types);
        }
    }

    [Fact]
    public void Every_in_process_trigger_orchestration_and_activity_has_its_function_and_there_are_no_others()
    {
        var actual = FunctionMetadata.All.Where(f => !f.IsHttp).ToDictionary(f => f.Name, f => f.TriggerType, StringComparer.Ordinal);

        Assert.Equal(NonHttpFunctions.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_route_the_local_host_serves_is_reached_by_exactly_one_http_function()
    {
        var routes = FunctionMetadata.All.Where(f => f.IsHttp)
            .Select(f => (Function: f, Route: new FunctionRoute(f.Route, Resolver)))
            .ToArray();

        var problems = new List<string>();
        foreach (var endpoint in HostEndpoint.All(local.Services))
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

        // The Functions host and the worker both route among the functions without precedence: an overlap is as bad as a gap.
        Assert.True(problems.Count == 0, "Each local route needs exactly one HTTP function:\n  " + string.Join("\n  ", problems));
    }

    [Theory]
    [MemberData(nameof(HttpFunctions))]
    public void Every_http_function_reaches_a_route_the_local_host_serves(string name)
    {
        var function = FunctionMetadata.All.Single(f => f.Name == name);
        var route = new FunctionRoute(function.Route, Resolver);
        var endpoints = HostEndpoint.All(local.Services);

        foreach (var method in function.Methods)
        {
            Assert.True(
                endpoints.Any(e => e.Allows(method) && route.Matches(e.SamplePath)),
                $"{name} takes {method} {function.Route}, but the local host serves nothing there. Local routes:\n  " + string.Join("\n  ", endpoints));
        }
    }

    [Fact]
    public void Http_functions_are_anonymous_with_relative_routes_and_every_function_outside_the_task_hub_binds_the_durable_client()
    {
        foreach (var function in FunctionMetadata.All)
        {
            if (function.IsHttp)
            {
                // The API does its own authentication (admin key, intake signature): Functions keys must not stand in front.
                Assert.Equal("Anonymous", function.Trigger.GetProperty("authLevel").GetString(), StringComparer.OrdinalIgnoreCase);
                Assert.False(function.Route.StartsWith('/'), $"{function.Name}: routes are relative to the empty routePrefix");
            }

            var inTaskHub = function.TriggerType is "orchestrationTrigger" or "activityTrigger";
            Assert.True(function.Binds("durableClient") != inTaskHub, $"{function.Name}: durableClient binding {(inTaskHub ? "not expected" : "missing")}");
        }
    }

    [Fact]
    public void Dashboard_root_function_matches_the_root_path_and_nothing_else()
    {
        var root = new FunctionRoute(FunctionMetadata.All.Single(f => f.Name == "DashboardRoot").Route, Resolver);

        Assert.True(root.Matches("/"));
        foreach (var path in new[] { "/health", "/app", "/api", "/favicon.ico" })
        {
            Assert.False(root.Matches(path), $"DashboardRoot also matches {path}");
        }
    }
}
