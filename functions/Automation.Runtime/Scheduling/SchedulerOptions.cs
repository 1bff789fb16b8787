namespace Automation.Runtime.Scheduling;

/// <summary>
/// <c>Automation:Scheduler</c>. Shape:
/// <code>
/// "Automation": { "Scheduler": {
///   "Enabled": true,              // run the in-process timer (standalone); default: as Automation:Runner:Pollers (the Functions app sets false: its timer function calls the same tick)
///   "Interval": "00:01:00",       // time between ticks; keep it equal to the Scheduler function's schedule. Occurrences up to two intervals old still count as on time
///   "PageSize": 200,              // records read per page when a schedule runs over records or a date trigger is back-filled
///   "MaxPagesPerTick": 50,        // pages one tick works through per workflow before leaving the rest to the next tick
///   "LeaseDuration": "00:05:00"   // how long a tick owns an occurrence it is firing (another instance takes over after it)
/// } }
/// </code>
/// </summary>
public sealed class SchedulerOptions
{
    public const string Section = "Automation:Scheduler";

    public bool? Enabled { get; set; }

    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);

    public int PageSize { get; set; } = 200;

    public int MaxPagesPerTick { get; set; } = 50;

    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How old an occurrence may be at the tick that finds it and still count as on time: one late tick's worth.</summary>
    public TimeSpan Grace => Interval + Interval;
}
