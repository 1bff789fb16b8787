using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Runtime.Records;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary>A <c>stage.changed</c> workflow through real runs: every move enrolls the record, with both stages in its templates.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StageChangedRunTests : RuntimeTest
{
    [Fact]
    public async Task Every_stage_move_in_the_pipeline_runs_the_workflow_with_the_old_and_new_stage_and_other_updates_do_not()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Any move", "module": "deal", "trigger": { "type": "stage.changed", "pipeline": "sales" }, "enrollment": "every_time",
          "steps": [ { "id": "tell", "action": "call_webhook",
                       "params": { "url": "{{{Receiver.Url("moved")}}}", "body": { "from": "{{ previous.stage }}", "to": "{{ record.stage }}" } } } ]
        }
        """);

        // One at a time, each processed before the next, as a CRM's successive edits of one deal.
        await SendAsync("record.created", new { stage = "MQL", pipeline = "sales" }, runs: 1);
        await SendAsync("record.updated", new { stage = "SQL", pipeline = "sales" }, runs: 2);
        await SendAsync("record.updated", new { stage = "SQL", pipeline = "sales", amount = 5 }, runs: 2);
        await SendAsync("record.updated", new { stage = "Won", pipeline = "sales", amount = 5 }, runs: 3);
        var moves = Receiver.RequestsTo("moved")
            .Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Select(b => (b.GetProperty("from").GetString(), b.GetProperty("to").GetString()))
            .ToHashSet();
        var runs = await Host.Runs.ListForRecordAsync("deal", "D-1");

        // Created (nothing → MQL), MQL → SQL, SQL → Won; the amount-only update moved no stage and started no run.
        Assert.Equal(new HashSet<(string?, string?)> { ("", "MQL"), ("MQL", "SQL"), ("SQL", "Won") }, moves);
        Assert.Equal(3, runs.Count);
        Assert.All(runs, r => Assert.Equal(wf.Id, r.WorkflowId));
    }

    private async Task SendAsync(string type, object record, int runs)
    {
        var evt = Json.Event(type, "deal", "D-1", record);
        await Host.SendAsync(evt);
        await Eventually.HoldsAsync(async () =>
            (await Host.EventAsync("deal", "D-1", evt.Id))?.State == EventStates.Applied
            && (await Host.Runs.ListForRecordAsync("deal", "D-1")).Count(r => r.Status == RunStatus.Succeeded) == runs);
    }
}
