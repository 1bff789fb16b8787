namespace Automation.Testing;

/// <summary>
/// A clock that moves only when told: the scheduler and everything it calls read "now" from it, so days of schedule
/// pass in a test without waiting. Timers (<see cref="TimeProvider.CreateTimer"/>) stay real: short back-offs and
/// polls behave as in production.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset at) => Interlocked.Exchange(ref ticks, at.UtcTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
