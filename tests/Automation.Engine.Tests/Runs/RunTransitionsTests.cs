using Automation.Engine.Runs;

namespace Automation.Engine.Tests.Runs;

public class RunTransitionsTests
{
    /// <summary>Every allowed change; every other pair of statuses must be refused.</summary>
    private static readonly HashSet<(RunStatus From, RunStatus To)> Allowed =
    [
        (RunStatus.Running, RunStatus.Running),
        (RunStatus.Running, RunStatus.Waiting),
        (RunStatus.Running, RunStatus.Succeeded),
        (RunStatus.Running, RunStatus.Failed),
        (RunStatus.Running, RunStatus.Exited),
        (RunStatus.Running, RunStatus.Cancelled),
        (RunStatus.Waiting, RunStatus.Running),
        (RunStatus.Waiting, RunStatus.Waiting),
        (RunStatus.Waiting, RunStatus.Exited),
        (RunStatus.Waiting, RunStatus.Cancelled),
        (RunStatus.Waiting, RunStatus.Failed),
        (RunStatus.Failed, RunStatus.Running),
    ];

    public static TheoryData<RunStatus, RunStatus, bool> EveryPair()
    {
        var data = new TheoryData<RunStatus, RunStatus, bool>();
        foreach (var from in Enum.GetValues<RunStatus>())
        {
            foreach (var to in Enum.GetValues<RunStatus>())
            {
                data.Add(from, to, Allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Only_the_listed_status_changes_are_allowed(RunStatus from, RunStatus to, bool allowed)
    {
        Assert.Equal(allowed, RunTransitions.CanTransition(from, to));
    }

    [Theory]
    [InlineData(RunStatus.Running, false, true, false)]
    [InlineData(RunStatus.Waiting, false, true, false)]
    [InlineData(RunStatus.Succeeded, true, false, false)]
    [InlineData(RunStatus.Failed, true, false, true)]
    [InlineData(RunStatus.Skipped, true, false, false)]
    [InlineData(RunStatus.Exited, true, false, false)]
    [InlineData(RunStatus.Cancelled, true, false, false)]
    public void Terminal_cancellable_and_retryable_statuses(RunStatus status, bool terminal, bool cancel, bool retry)
    {
        Assert.Equal((terminal, cancel, retry), (RunTransitions.IsTerminal(status), RunTransitions.CanCancel(status), RunTransitions.CanRetry(status)));
    }
}
