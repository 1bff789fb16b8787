using System.Text.Json;
using Automation.Runtime.Runs;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests.Communication;

/// <summary>Settings and helpers shared by the communication tests.</summary>
internal static class CommunicationHost
{
    public const string TrackingBaseUrl = "https://track.example.com";

    /// <summary>MailDev for SMTP, tracking links on a public-looking base URL, plus <paramref name="more"/>.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>(MailDev.Settings)
        {
            ["Automation:Email:TrackingBaseUrl"] = TrackingBaseUrl,
            ["Automation:Email:TrackingSecret"] = "tracking-test-secret",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A one-trigger workflow on lead creation with <paramref name="stepsJson"/>, saved active.</summary>
    public static Task<Engine.Model.Workflow> WorkflowAsync(this RuntimeHost host, string stepsJson, string name = "Comms") =>
        host.ActiveWorkflowAsync($$$"""
            { "name": "{{{name}}}", "module": "lead", "trigger": { "type": "record.created" }, "steps": {{{stepsJson}}} }
            """);

    /// <summary>Sends a lead-created event for <paramref name="recordId"/> and waits for the workflow's run to end.</summary>
    public static async Task<RunDetails> RunAsync(this RuntimeHost host, Engine.Model.Workflow workflow, string recordId, object record)
    {
        await host.SendAsync(Json.Event("record.created", "lead", recordId, record));
        return await host.WaitForEndAsync("lead", recordId, workflow.Id!);
    }

    public static string Text(this JsonElement? element, string property) =>
        element is { } e && e.TryGetProperty(property, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText() : "";

    public static string Id() => Guid.NewGuid().ToString("N")[..10];
}
