using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Triggers;

namespace Automation.Engine.Tests.Triggers;

/// <summary>Workflows, triggers and events written as the JSON admins and CRMs send, with one fixed now.</summary>
internal static class Defs
{
    /// <summary>Tuesday 10 March 2026, 09:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    public static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    public static Workflow Workflow(string json) => JsonSerializer.Deserialize<Workflow>(json, EngineJson.Options)!;

    /// <summary>An active lead workflow with id <c>wf-1</c> and the given trigger.</summary>
    public static Workflow WithTrigger(string triggerJson, string? conditions = null) => Workflow(
        $$"""
        { "id": "wf-1", "version": 1, "name": "Test", "module": "lead", "status": "active",
          "trigger": {{triggerJson}}{{(conditions is null ? "" : ", \"conditions\": " + conditions)}} }
        """);

    public static CrmEvent Event(
        string type, string? record = null, string? previous = null, string? data = null, string module = "lead") => new()
        {
            Id = "evt-1",
            Type = type,
            Module = module,
            RecordId = "rec-1",
            OccurredAt = Now,
            Record = Parse(record),
            Previous = Parse(previous),
            Data = Parse(data),
        };

    public static TriggerMatch Match(Workflow wf, CrmEvent evt, string? stored = null)
    {
        var changes = ChangeDeriver.Derive(evt, Parse(stored));
        return TriggerMatcher.Match(wf, evt, changes, EventScope.For(evt, changes, Now));
    }
}
