using Automation.Engine.Model;

namespace Automation.Engine.Schedules;

/// <summary>A schedule trigger's <c>catchUp</c> values.</summary>
public static class CatchUp
{
    /// <summary>Missed occurrences are dropped (the default).</summary>
    public const string Skip = "skip";

    /// <summary>After downtime the newest missed occurrence fires once, late; older ones are dropped.</summary>
    public const string Latest = "latest";

    public static bool IsLatest(Trigger trigger) =>
        string.Equals(trigger?.CatchUp, Latest, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An occurrence to fire; <see cref="Late"/> when it fires by catch-up after it was missed.</summary>
public readonly record struct DueOccurrence(DateTimeOffset At, bool Late);

/// <summary>
/// What a scheduler tick does for one schedule: the occurrences to fire, oldest first, and the newest occurrence it
/// drops as missed (so the caller can move its watermark past it).
/// </summary>
public sealed record ScheduleDecision(IReadOnlyList<DueOccurrence> Fire, DateTimeOffset? Skipped)
{
    public static ScheduleDecision Nothing { get; } = new([], null);
}

/// <summary>
/// Which occurrences of a schedule are due at a tick. The caller keeps one watermark per schedule, the newest
/// occurrence it handled; occurrences after it and up to <c>now</c> are candidates:
/// <list type="bullet">
/// <item><b>on time</b>: no older than <c>grace</c> (about one tick: an occurrence a tick could not have seen
/// earlier). They always fire.</item>
/// <item><b>missed</b>: older than that, which only happens when no tick ran for a while (downtime). With
/// <c>catchUp: skip</c> (default) they are dropped. With <c>catchUp: latest</c> the newest of them fires once, late,
/// unless an on-time occurrence fires in the same tick (which already does the missed work: "run the latest once").</item>
/// </list>
/// </summary>
public static class ScheduleDue
{
    /// <summary>
    /// Where a schedule's candidates start: after the newest handled occurrence, and never before the workflow became
    /// what it is now (<paramref name="activeSince"/>: when it was last saved or changed status). A paused workflow's
    /// occurrences are not caught up when it is activated again, and a new version does not inherit old ones.
    /// </summary>
    public static DateTimeOffset Since(DateTimeOffset? lastHandled, DateTimeOffset activeSince) =>
        lastHandled is { } last && last > activeSince ? last : activeSince;

    public static ScheduleDecision Decide(CronSchedule schedule, Trigger trigger, DateTimeOffset since, DateTimeOffset now, TimeSpan grace)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(trigger);
        if (now <= since)
        {
            return ScheduleDecision.Nothing;
        }

        var onTimeFrom = now - grace > since ? now - grace : since;
        var onTime = schedule.Between(onTimeFrom, now).Select(at => new DueOccurrence(at, Late: false)).ToList();
        var missed = schedule.Latest(since, onTimeFrom);
        if (missed is { } newestMissed && onTime.Count == 0 && CatchUp.IsLatest(trigger))
        {
            return new ScheduleDecision([new DueOccurrence(newestMissed, Late: true)], null);
        }

        return new ScheduleDecision(onTime, missed);
    }
}
