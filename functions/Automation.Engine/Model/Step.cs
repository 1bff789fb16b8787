using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Engine.Model;

/// <summary>
/// One step of a workflow. <see cref="Params"/> is a JSON object whose strings (at any depth) are
/// Liquid templates over <c>record</c>, <c>previous</c>, <c>event</c>, <c>run</c> and <c>now</c>.
/// </summary>
public sealed record Step
{
    /// <summary>Stable id, <c>[a-z0-9-]{1,64}</c>: step logs and run cursors refer to it across versions.</summary>
    public required string Id { get; init; }

    /// <summary>Action type from <see cref="Actions.ActionRegistry"/>, e.g. <c>send_email</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Optional human label shown in the dashboard.</summary>
    public string? Name { get; init; }

    public JsonElement? Params { get; init; }

    /// <summary>Optional wait before the step runs.</summary>
    public Delay? Delay { get; init; }

    /// <summary>Optional condition: when false the step is skipped and logged as skipped.</summary>
    public Condition? Condition { get; init; }

    public RetryPolicy? Retry { get; init; }
}

/// <summary>
/// A wait before a step: a duration (<c>{ "days": 2, "hours": 3 }</c>) or until a rendered date-time
/// (<c>{ "until": "{{ record.renewalDate }}" }</c>). Durations add up; 0 to 365 days in all.
/// </summary>
public sealed record Delay
{
    public int? Minutes { get; init; }

    public int? Hours { get; init; }

    public int? Days { get; init; }

    /// <summary>A Liquid template rendering to an ISO 8601 date-time; the step waits until then (never earlier).</summary>
    public string? Until { get; init; }

    public static readonly TimeSpan Max = TimeSpan.FromDays(365);

    [JsonIgnore]
    public TimeSpan Duration =>
        TimeSpan.FromMinutes(Minutes ?? 0) + TimeSpan.FromHours(Hours ?? 0) + TimeSpan.FromDays(Days ?? 0);
}

/// <summary>
/// How a failed step is retried when its action says the failure may be retried.
/// Defaults: 3 attempts in all, 30 s before the second, doubling, at most 1 hour apart.
/// </summary>
public sealed record RetryPolicy
{
    public static readonly RetryPolicy Default = new();

    /// <summary>Attempts in all, including the first (1 = no retry).</summary>
    public int MaxAttempts { get; init; } = 3;

    public double InitialIntervalSeconds { get; init; } = 30;

    public double BackoffCoefficient { get; init; } = 2;

    public double MaxIntervalSeconds { get; init; } = 3600;

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 is the first retry).</summary>
    public TimeSpan DelayBefore(int nextAttempt)
    {
        var exponent = Math.Max(0, nextAttempt - 2);
        var seconds = InitialIntervalSeconds * Math.Pow(BackoffCoefficient, exponent);
        return TimeSpan.FromSeconds(Math.Min(seconds, MaxIntervalSeconds));
    }
}
