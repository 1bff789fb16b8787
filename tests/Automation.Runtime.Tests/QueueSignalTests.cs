using Automation.Runtime.Polling;

namespace Automation.Runtime.Tests;

/// <summary>When an empty receive means "not shown yet" (look again soon) and when it means "idle" (back off).</summary>
public sealed class QueueSignalTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_wake_up_is_expected_from_its_time_until_the_visibility_grain_has_passed()
    {
        var clock = new ManualClock(Now);
        using var signal = new QueueSignal(clock);

        signal.NotifyAt(Now.AddSeconds(2));

        Assert.False(signal.Expecting); // not due yet: its timer wakes the poller
        clock.Set(Now.AddSeconds(2.1));
        Assert.True(signal.Expecting);
        clock.Set(Now.AddSeconds(3.4));
        Assert.True(signal.Expecting);
        clock.Set(Now.AddSeconds(3.6));
        Assert.False(signal.Expecting);
    }

    [Fact]
    public void A_receive_that_brings_messages_meets_the_wake_ups_due_by_then_but_not_later_ones()
    {
        var clock = new ManualClock(Now);
        using var signal = new QueueSignal(clock);
        signal.NotifyAt(Now.AddSeconds(1));
        signal.NotifyAt(Now.AddSeconds(5));

        clock.Set(Now.AddSeconds(1.2));
        signal.Received();

        Assert.False(signal.Expecting);
        clock.Set(Now.AddSeconds(5.1));
        Assert.True(signal.Expecting);
    }

    [Fact]
    public void A_wake_up_already_due_or_beyond_a_minute_is_not_tracked()
    {
        var clock = new ManualClock(Now);
        using var signal = new QueueSignal(clock);

        signal.NotifyAt(Now.AddSeconds(-1));
        signal.NotifyAt(Now.AddMinutes(5));

        Assert.False(signal.Expecting);
        clock.Set(Now.AddMinutes(5).AddSeconds(0.5));
        Assert.False(signal.Expecting);
    }
}
