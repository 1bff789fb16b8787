using System.Text.Json;

namespace Automation.Engine.Model;

/// <summary>
/// What conditions and templates can see: <c>record</c>, <c>previous</c>, <c>event</c>, <c>run</c>
/// (each a JSON object or absent) and <c>now</c>. The engine never reads a clock: the caller passes <see cref="Now"/>.
/// <see cref="TimeZone"/> decides what <c>today</c> means (default UTC).
/// </summary>
public sealed record EvaluationScope
{
    public JsonElement? Record { get; init; }

    public JsonElement? Previous { get; init; }

    public JsonElement? Event { get; init; }

    public JsonElement? Run { get; init; }

    public required DateTimeOffset Now { get; init; }

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;
}
