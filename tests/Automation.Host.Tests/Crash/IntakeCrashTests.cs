using Xunit.Abstractions;

namespace Automation.Host.Tests.Crash;

/// <summary>
/// A kill right after intake answered 202: the events are in the queue, received by the dead host's poller or half
/// processed (run rows written, orchestrations not yet started). Every accepted event still gets its run, which
/// succeeds, once: a redelivered event resumes what its first pass wrote instead of starting anything twice.
/// </summary>
public sealed class IntakeCrashTests(ITestOutputHelper output)
{
    /// <summary>
    /// How long an event the dead poller had received stays hidden: the runner's lease, 5 min in the product, which
    /// would only make this test slow.
    /// </summary>
    private static readonly Dictionary<string, string> ShortLease = new() { ["Automation__Runner__LeaseDuration"] = "00:00:08" };

    [Fact]
    public async Task Killed_right_after_intake_every_accepted_event_gets_one_run_that_succeeds()
    {
        const int count = 8;
        await using var rig = await CrashRig.StartAsync(output, ShortLease);
        var workflowId = await rig.CreateWorkflowAsync(("one", null), ("two", null));

        var runIds = await rig.PostAsync(workflowId, [.. Enumerable.Range(0, count).Select(i => ($"intake{i}", (object)new { n = i }))]);
        var killedAt = DateTimeOffset.UtcNow;
        var restarted = await rig.KillAndRestartAsync();
        var runs = await rig.WaitForSuccessAsync(runIds);

        Assert.Equal([137], rig.ExitCodes);
        var before = rig.Receiver.Hits.Count(h => h.At < killedAt);
        var repeated = CrashAssert.Effects(rig.Receiver, runs, killedAt, "one", "two");
        output.WriteLine($"{before} webhook requests before the kill, {repeated.Count} sent again; restart → last run's last request {CrashRig.Seconds(restarted, rig.Receiver.Hits[^1].At)}");
        await RunAgreement.AssertAsync(rig, workflowId, runIds);
    }
}
