using Automation.Engine.Model;
using Cronos;

namespace Automation.Engine.Schedules;

/// <summary>
/// A schedule trigger's cron expression in its time zone. Cronos does the calendar work, including daylight saving:
/// a time that falls in a spring-forward gap fires at the first instant after the gap (once); in a fall-back overlap
/// a fixed time (<c>30 2 * * *</c>) fires once, at its first instance, while an interval (<c>*/30 * * * *</c>) fires in
/// both instances, because both are real half-hours that passed.
/// </summary>
public sealed class CronSchedule
{
    private CronSchedule(CronExpression expression, TimeZoneInfo timeZone)
    {
        Expression = expression;
        TimeZone = timeZone;
    }

    public CronExpression Expression { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The trigger's schedule; throws <see cref="ArgumentException"/> when cron or time zone is unusable (validation reports them first).</summary>
    public static CronSchedule For(Trigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (!TryParse(trigger.Cron, trigger.TimeZone, out var schedule, out var error))
        {
            throw new ArgumentException(error, nameof(trigger));
        }

        return schedule!;
    }

    public static bool TryParse(string? cron, string? timeZone, out CronSchedule? schedule, out string? error)
    {
        schedule = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            error = "The schedule has no cron expression.";
            return false;
        }

        // Macros such as @daily are one field; Cronos reads them in either format.
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron.Trim(), format);
        }
        catch (CronFormatException e)
        {
            error = $"The cron expression '{cron}' is not valid: {e.Message}";
            return false;
        }

        if (!TimeZones.TryFind(timeZone, out var zone))
        {
            error = $"Unknown time zone '{timeZone}'.";
            return false;
        }

        schedule = new CronSchedule(expression, zone);
        error = null;
        return true;
    }

    /// <summary>Occurrences after <paramref name="from"/> up to and including <paramref name="to"/>, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Between(DateTimeOffset from, DateTimeOffset to) =>
        from >= to ? [] : Expression.GetOccurrences(from.ToUniversalTime(), to.ToUniversalTime(), TimeZone, fromInclusive: false, toInclusive: true);

    /// <summary>The first occurrence after <paramref name="from"/>, if the expression ever fires again.</summary>
    public DateTimeOffset? Next(DateTimeOffset from) => Expression.GetNextOccurrence(from.ToUniversalTime(), TimeZone);

    /// <summary>
    /// The newest occurrence after <paramref name="after"/> and at or before <paramref name="atOrBefore"/>. Cron has no
    /// "previous occurrence", so this looks back through growing windows: a dense expression is found in the first
    /// hour, a sparse one after a few widenings, and a long downtime never enumerates every missed occurrence.
    /// </summary>
    public DateTimeOffset? Latest(DateTimeOffset after, DateTimeOffset atOrBefore)
    {
        if (after >= atOrBefore)
        {
            return null;
        }

        foreach (var span in LookBack)
        {
            var from = span == TimeSpan.MaxValue || atOrBefore - after <= span ? after : atOrBefore - span;
            DateTimeOffset? last = null;
            foreach (var occurrence in Between(from, atOrBefore))
            {
                last = occurrence;
            }

            if (last is not null || from == after)
            {
                return last;
            }
        }

        return null;
    }

    private static readonly TimeSpan[] LookBack =
    [
        TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(367), TimeSpan.FromDays(5 * 366), TimeSpan.MaxValue,
    ];
}
