using System.Text.Json;
using Xunit.Abstractions;

namespace Automation.Host.Tests.Crash;

/// <summary>
/// Runs across real crashes: the host runs as a process of its own (its Durable Task worker on Azurite), is killed with
/// SIGKILL while runs are parked on durable timers or have a step in flight, and is started again on the same storage.
/// Every run resumes and succeeds; a step whose success was checkpointed before the kill never reaches the receiver
/// again; only the step in flight at the kill may (at-least-once for an unfinished step, under the same
/// <c>Idempotency-Key</c>, which is what the key is for); and the runs list and stats end in agreement with the runs.
/// Resume times are printed, not asserted. Needs Azurite on 127.0.0.1:10000-10002, as every host test.
/// </summary>
public sealed class HostCrashTests(ITestOutputHelper output)
{
    /// <param name="sameWorker">
    /// The new process has the dead one's worker id (the default, the machine name: a host restarted in place), so it
    /// takes the task hub's partition back at once; else it must wait for the dead worker's lease to expire, as a
    /// replacement on another machine would.
    /// </param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Killed_during_a_delay_the_run_resumes_on_its_timer_and_the_steps_before_it_ran_once(bool sameWorker)
    {
        await using var rig = await CrashRig.StartAsync(output);
        var workflowId = await rig.CreateWorkflowAsync(("before", null), ("after", "{{ record.at }}"), ("last", null));

        // One timer falls due while the host is down (overdue when the new worker starts), one after the restart.
        var posted = DateTimeOffset.UtcNow;
        var overdueAt = posted.AddSeconds(8);
        var laterAt = posted.AddSeconds(50);
        var runIds = await rig.PostAsync(workflowId, ("overdue", new { at = CrashAssert.Iso(overdueAt) }), ("later", new { at = CrashAssert.Iso(laterAt) }));
        foreach (var runId in runIds)
        {
            await rig.WaitForRunAsync(runId, r => RunAgreement.Status(r) == "waiting", "the wait before step 'after'");
        }

        var worker = sameWorker ? null : new Dictionary<string, string> { ["Automation__Durable__WorkerId"] = "crash-replacement" };
        var restarted = await rig.KillAndRestartAsync(overdueAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1), worker);
        var runs = await rig.WaitForSuccessAsync(runIds);

        Assert.Equal([137], rig.ExitCodes);
        foreach (var run in runs)
        {
            var runId = run.GetProperty("run").GetProperty("runId").GetString()!;
            var hits = rig.Receiver.For(runId);
            Assert.Equal(["before", "after", "last"], hits.Select(h => h.StepId));
            CrashAssert.KeysMatchAttempts(run, hits);
            Assert.True(hits[0].At < restarted, $"{runId}: step 'before' came after the restart");
            Assert.True(hits[1].At >= (runId == runIds[0] ? overdueAt : laterAt), $"{runId}: step 'after' ran before its wake time");
        }

        var overdue = rig.Receiver.For(runIds[0])[1];
        var later = rig.Receiver.For(runIds[1])[1];
        output.WriteLine($"{(sameWorker ? "same worker id" : "new worker id")}: overdue timer: restart → step 'after' received {CrashRig.Seconds(restarted, overdue.At)} (it fell due {CrashRig.Seconds(overdueAt, restarted)} before the restart)");
        output.WriteLine($"later timer: step 'after' received {CrashRig.Seconds(laterAt, later.At)} after its wake time ({CrashRig.Seconds(restarted, laterAt)} after the restart)");
        await RunAgreement.AssertAsync(rig, workflowId, runIds);
    }

    [Fact]
    public async Task Killed_during_a_step_the_run_resumes_repeating_only_the_step_in_flight_and_the_list_agrees()
    {
        await using var rig = await CrashRig.StartAsync(output);
        var workflowId = await rig.CreateWorkflowAsync(("one", null), ("two", null), ("three", null));

        // Step two's request reaches the receiver, which does not answer: the effect happened, the host never learns it.
        var held = rig.Receiver.HoldNext("two");
        var runId = (await rig.PostAsync(workflowId, ("slow", new { name = "Slow" })))[0];
        var inFlight = await held.WaitAsync(CrashRig.WaitLimit);
        var restarted = await rig.KillAndRestartAsync();
        var run = await rig.WaitForRunAsync(runId, r => RunAgreement.Status(r) == "succeeded", "success");

        Assert.Equal([137], rig.ExitCodes);
        var hits = rig.Receiver.For(runId);
        CrashAssert.KeysMatchAttempts(run, hits);

        // Step one was checkpointed before step two began: never again. Step two was not: sent again, with the same key.
        Assert.Single(hits, h => h.StepId == "one");
        Assert.Equal([inFlight.Key, inFlight.Key], hits.Where(h => h.StepId == "two").Select(h => h.Key));
        Assert.Single(hits, h => h.StepId == "three");
        Assert.Equal(["one", "two", "two", "three"], hits.Select(h => h.StepId));
        var resumed = hits.First(h => h.At > restarted);
        output.WriteLine($"step in flight at the kill: restart → sent again {CrashRig.Seconds(restarted, resumed.At)} (work item visibility timeout {CrashRig.VisibilityTimeout.TotalSeconds:0} s)");
        await RunAgreement.AssertAsync(rig, workflowId, [runId]);
    }

    [Fact]
    public async Task Killed_with_a_burst_in_flight_every_run_succeeds_in_the_run_and_in_the_list()
    {
        const int count = 8;
        await using var rig = await CrashRig.StartAsync(output);
        var workflowId = await rig.CreateWorkflowAsync(("one", null), ("two", "{{ record.at }}"), ("three", null), ("four", null));

        // Slow answers; half the runs reach step two soon, the other half are parked on their timers at the kill.
        rig.Receiver.AnswerDelay = TimeSpan.FromMilliseconds(400);
        var soon = DateTimeOffset.UtcNow.AddSeconds(3);
        var late = soon.AddSeconds(20);
        var runIds = await rig.PostAsync(workflowId, [.. Enumerable.Range(0, count).Select(i => ($"burst{i}", (object)new { at = CrashAssert.Iso(i % 2 == 0 ? soon : late) }))]);
        await CrashRig.WaitForAsync(
            () => rig.Receiver.Hits.Count(h => h.StepId == "one") >= count && rig.Receiver.Hits.Count(h => h.StepId == "two") >= count / 2,
            "every run's step one and the soon runs' step two");
        var killedAt = DateTimeOffset.UtcNow;
        var restarted = await rig.KillAndRestartAsync();
        var runs = await rig.WaitForSuccessAsync(runIds);

        Assert.Equal([137], rig.ExitCodes);
        var repeated = CrashAssert.Effects(rig.Receiver, runs, killedAt, "one", "two", "three", "four");

        var parked = runIds.Where((_, i) => i % 2 == 1).Select(id => rig.Receiver.For(id).First(h => h.StepId == "two").At).ToArray();
        var resumed = repeated.Select(key => rig.Receiver.Hits.Last(h => h.Key == key).At).ToArray();
        output.WriteLine($"{count} runs, {rig.Receiver.Count} requests; {repeated.Count} steps in flight at the kill sent again (work item visibility timeout {CrashRig.VisibilityTimeout.TotalSeconds:0} s)");
        if (resumed.Length > 0)
        {
            output.WriteLine($"steps in flight: restart → sent again {CrashRig.Seconds(restarted, resumed.Min())} to {CrashRig.Seconds(restarted, resumed.Max())}");
        }

        output.WriteLine($"parked runs: step two received {CrashRig.Seconds(late, parked.Min())} to {CrashRig.Seconds(late, parked.Max())} after their wake time ({CrashRig.Seconds(restarted, late)} after the restart)");
        await RunAgreement.AssertAsync(rig, workflowId, runIds);
    }
}
