using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Tests.Conditions;

/// <summary>Scopes and conditions written as JSON, with one fixed now, so tests read like the definitions admins write.</summary>
internal static class Scopes
{
    /// <summary>Sunday 15 March 2026, 10:30 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 15, 10, 30, 0, TimeSpan.Zero);

    public static EvaluationScope Of(
        string? record = null, string? previous = null, string? evt = null, string? run = null, TimeZoneInfo? timeZone = null, DateTimeOffset? now = null) =>
        new()
        {
            Record = Json(record),
            Previous = Json(previous),
            Event = Json(evt),
            Run = Json(run),
            Now = now ?? Now,
            TimeZone = timeZone ?? TimeZoneInfo.Utc,
        };

    public static Condition Condition(string json) => ConditionJsonConverter.FromElement(JsonDocument.Parse(json).RootElement);

    public static JsonElement? Json(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    public static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
