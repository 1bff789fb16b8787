using System.Globalization;
using Automation.Engine.Runs;
using Automation.Engine.Schedules;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Tests.Infrastructure;
using Microsoft.DurableTask.Client;

namespace Automation.Runtime.Tests.Scheduling;

/// <summary>
/// A date trigger's wake-up as it really runs: a <c>DateWake</c> orchestration in the local task hub, on real time, whose
/// timer fires at the instant (never before) and whose activity fires the workflow through intake.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class DateWakeOrchestrationTests : RuntimeTest
{
    [Fact]
    public async Task A_stored_date_starts_the_workflow_when_its_instant_comes_and_not_before()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Follow up", "module": "deal", "trigger": { "type": "date.reached", "field": "followUpAt" }, "enrollment": "every_time",
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("follow-up")}}}" } } ]
        }
        """);
        // Whole seconds, as a CRM would store the date; far enough ahead that the event is processed (and the wake-up
        // started) before the instant, even on a busy machine, so that the wake-up really waits on its timer.
        var now = DateTimeOffset.UtcNow;
        var due = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero).AddSeconds(10);
        await Host.SendAsync(Json.Event("record.created", "deal", "W-1", new { followUpAt = due.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) }));

        var run = await Host.WaitForEndAsync("deal", "W-1", wf.Id!, TimeSpan.FromSeconds(60));

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.True(run.Run.CreatedAt >= due, $"The run was created at {run.Run.CreatedAt:O}, before the date's instant {due:O}.");
        Assert.Single(Receiver.RequestsTo("follow-up"));
        var wake = new DateWakeMessage(DateWakeMessage.DateKind, wf.Id!, "deal", "W-1", DateTrigger.ValueKey(due), due);
        var instance = await Host.Durable.Client.GetInstanceAsync(RunOrchestrations.DateWakeInstanceId(wake), getInputsAndOutputs: true);
        Assert.NotNull(instance);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.True(instance.ReadOutputAs<bool>(), "The wake-up says it fired.");
    }
}
