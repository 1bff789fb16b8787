using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Triggers;

/// <summary>The scope an event is judged in: trigger, workflow conditions, and a dry run's templates.</summary>
public static class EventScope
{
    /// <summary>
    /// <c>record</c> is the record after the event and <c>previous</c> the record before it (both as derived by
    /// <see cref="ChangeDeriver"/>, so a stored snapshot stands in for a missing <c>previous</c>); <c>event</c> is the
    /// event as the API takes it.
    /// </summary>
    public static EvaluationScope For(CrmEvent evt, ChangeSet changes, DateTimeOffset now, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(changes);
        return new EvaluationScope
        {
            Record = changes.Current,
            Previous = changes.Previous,
            Event = JsonSerializer.SerializeToElement(evt, EngineJson.Options),
            Now = now,
            TimeZone = timeZone ?? TimeZoneInfo.Utc,
        };
    }
}
