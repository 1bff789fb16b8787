using System.Diagnostics;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Xunit.Abstractions;

namespace Automation.Host.Tests.Crash;

/// <summary>
/// A kill in the short window after the orchestration took a step's result (<c>TaskCompleted</c>) from its control
/// queue and before it saved what comes next (the timer of the run's wait). The message stays hidden for the control
/// queue's visibility timeout, then the restarted worker takes it again. With the framework's default of 5 minutes
/// such a run stalled for 5 minutes: this test failed on its 120 s limit whenever the kill landed in the window.
/// </summary>
public sealed class ControlQueueCrashTests(ITestOutputHelper output)
{
    private const string Account = "UseDevelopmentStorage=true";

    [Fact]
    public async Task Killed_while_the_orchestration_takes_in_a_step_result_the_run_resumes_after_the_visibility_timeout()
    {
        await using var rig = await CrashRig.StartAsync(output);
        var workflowId = await rig.CreateWorkflowAsync(("before", null), ("after", "{{ record.at }}"));
        var control = new QueueClient(Account, rig.Hub.ToLowerInvariant() + "-control-00");
        var runId = (await rig.PostAsync(workflowId, ("window", new { at = CrashAssert.Iso(DateTimeOffset.UtcNow.AddSeconds(3)) })))[0];

        // The result shows on the queue, then disappears when the worker takes it: kill at once.
        await PollAsync(async () => await ResultVisibleAsync(control, runId), "the step's result on the control queue");
        await PollAsync(async () => !await ResultVisibleAsync(control, runId), "the worker to take the step's result");
        var restarted = await rig.KillAndRestartAsync(restart: null);
        var inWindow = !await HistoryHasAsync(rig.Hub, runId, "TaskCompleted");
        var run = (await rig.WaitForSuccessAsync([runId]))[0];

        Assert.Equal([137], rig.ExitCodes);
        var hits = rig.Receiver.For(runId);
        CrashAssert.KeysMatchAttempts(run, hits);
        Assert.Equal(["before", "after"], hits.Select(h => h.StepId));
        output.WriteLine($"the kill {(inWindow ? "landed" : "did not land")} between taking the step's result and saving the timer (control queue visibility timeout {CrashRig.VisibilityTimeout.TotalSeconds:0} s)");
        output.WriteLine($"restart → step 'after' received {CrashRig.Seconds(restarted, hits[1].At)}");
        await RunAgreement.AssertAsync(rig, workflowId, [runId]);
    }

    /// <summary>Polls as fast as Azurite answers: the window lasts as long as the worker takes to save an episode.</summary>
    private static async Task PollAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < CrashRig.WaitLimit, $"Waited {CrashRig.WaitLimit.TotalSeconds:0} s for {what}.");
        }
    }

    /// <summary>A visible <c>TaskCompleted</c> message of the instance (the provider writes JSON, base64 or not).</summary>
    private static async Task<bool> ResultVisibleAsync(QueueClient control, string instanceId)
    {
        foreach (var message in (await control.PeekMessagesAsync(32)).Value)
        {
            var body = message.Body.ToString();
            if (!body.Contains(instanceId, StringComparison.Ordinal))
            {
                try
                {
                    body = Encoding.UTF8.GetString(Convert.FromBase64String(body));
                }
                catch (FormatException)
                {
                    continue;
                }
            }

            if (body.Contains(instanceId, StringComparison.Ordinal) && body.Contains("TaskCompleted", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<bool> HistoryHasAsync(string hub, string instanceId, string eventType)
    {
        var history = new TableClient(Account, hub + "History");
        await foreach (var _ in history.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {instanceId} and EventType eq {eventType}")))
        {
            return true;
        }

        return false;
    }
}
