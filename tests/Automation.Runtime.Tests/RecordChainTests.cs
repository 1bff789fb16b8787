using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary>Events caused by record actions start other workflows, within the causation depth limit (invariant 7).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordChainTests : IAsyncLifetime
{
    private RuntimeHost host = null!;

    public async Task InitializeAsync() => host = await RuntimeHost.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Automation:Runner:MaxCausationDepth"] = "3",
    });

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Move_stage_fires_the_stage_exit_and_entry_workflows_of_other_workflows()
    {
        var mover = await host.ActiveWorkflowAsync("""
        {
          "name": "Qualify", "module": "deal", "trigger": { "type": "record.created" },
          "steps": [ { "id": "to-sql", "action": "move_stage", "params": { "stage": "SQL" } } ]
        }
        """);
        var entry = await host.ActiveWorkflowAsync("""
        {
          "name": "SQL entry", "module": "deal", "trigger": { "type": "stage.entered", "stage": "SQL" },
          "steps": [ { "id": "flag", "action": "update_field", "params": { "fields": { "enteredFrom": "{{ previous.stage }}" } } } ]
        }
        """);
        var exit = await host.ActiveWorkflowAsync("""
        {
          "name": "MQL exit", "module": "deal", "trigger": { "type": "stage.exited", "stage": "MQL" },
          "steps": [ { "id": "flag", "action": "update_field", "params": { "fields": { "leftMql": true } } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "deal", "D-1", new { stage = "MQL" }));
        var moved = await host.WaitForEndAsync("deal", "D-1", mover.Id!);
        var entered = await host.WaitForEndAsync("deal", "D-1", entry.Id!);
        var exited = await host.WaitForEndAsync("deal", "D-1", exit.Id!);
        var snapshot = await host.WaitForSnapshotAsync("deal", "D-1", s => s.Text("enteredFrom") is not null && s.Text("leftMql") is not null);

        var cause = $"{moved.Run.RunId}:to-sql";
        Assert.Equal(RunStatus.Succeeded, entered.Run.Status);
        Assert.Equal(cause, entered.Run.TriggerEventId);
        Assert.Equal(1, entered.Run.CausationDepth);
        Assert.Equal(cause, exited.Run.TriggerEventId);
        Assert.Equal("MQL", snapshot.Text("enteredFrom"));
        Assert.Equal("SQL", snapshot.Text("stage"));
        Assert.Equal("true", snapshot.Text("leftMql"));
    }

    [Fact]
    public async Task A_workflow_that_retriggers_itself_stops_at_the_depth_limit_and_the_last_run_says_why()
    {
        var loop = await host.ActiveWorkflowAsync("""
        {
          "name": "Touch on update", "module": "contact", "trigger": { "type": "record.updated" }, "enrollment": "every_time",
          "steps": [ { "id": "touch", "action": "update_field", "params": { "fields": { "touchedBy": "{{ event.id }}" } } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "contact", "C-1", new { name = "Ann" }));
        await host.WaitForSnapshotAsync("contact", "C-1", _ => true);
        await host.SendAsync(Json.Event("record.updated", "contact", "C-1", new { name = "Ann B." }, id: "start"));
        var last = await host.WaitForRunAsync("contact", "C-1", loop.Id!, r => r.Notes.Count > 0);
        await Eventually.HoldsAsync(async () =>
            (await host.Runs.ListForRecordAsync("contact", "C-1")).All(r => RunTransitions.IsTerminal(r.Status)));

        var runs = await host.Runs.ListForRecordAsync("contact", "C-1");
        Assert.Equal([0, 1, 2, 3], (await Task.WhenAll(runs.Select(r => host.Runs.GetAsync(r.RunId)))).Select(r => r!.Run.CausationDepth).Order());
        Assert.Equal(3, last.Run.CausationDepth);
        var note = Assert.Single(last.Notes);
        Assert.Equal($"{last.Run.RunId}:touch", note.EventId);
        Assert.Contains("causation depth 4 is past the limit of 3", note.Message, StringComparison.Ordinal);

        // The stopped event still changed the record: it is the truth about it.
        var snapshot = await host.WaitForSnapshotAsync("contact", "C-1", s => s.LastEventId == note.EventId);
        Assert.Equal(last.Run.TriggerEventId, snapshot.Text("touchedBy"));
    }

    [Fact]
    public async Task Start_workflow_enrolls_the_record_in_another_workflow_with_the_next_depth_and_once_means_once()
    {
        var target = await host.ActiveWorkflowAsync("""
        {
          "name": "Nurture", "module": "lead", "trigger": { "type": "record.deleted" }, "enrollment": "once",
          "steps": [ { "id": "mark", "action": "update_field", "params": { "fields": { "nurtured": "{{ event.data.byWorkflowId }}" } } } ]
        }
        """);
        var starter = await host.ActiveWorkflowAsync($$"""
        {
          "name": "Start nurture", "module": "lead", "trigger": { "type": "event", "name": "go" }, "enrollment": "every_time",
          "steps": [ { "id": "start", "action": "start_workflow", "params": { "workflowId": "{{target.Id}}" } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "lead", "L-1", new { name = "Ann" }));
        await host.WaitForSnapshotAsync("lead", "L-1", _ => true);
        await host.SendAsync(Json.Event("event", "lead", "L-1", id: "go-1") with { Data = Json.Element("""{ "name": "go" }""") });
        var started = await host.WaitForEndAsync("lead", "L-1", target.Id!);
        var first = await host.WaitForRunAsync("lead", "L-1", starter.Id!, r => r.Run.TriggerEventId == "go-1" && RunTransitions.IsTerminal(r.Run.Status));
        await host.SendAsync(Json.Event("event", "lead", "L-1", id: "go-2") with { Data = Json.Element("""{ "name": "go" }""") });
        var second = await host.WaitForRunAsync("lead", "L-1", starter.Id!, r => r.Run.TriggerEventId == "go-2" && RunTransitions.IsTerminal(r.Run.Status));
        var snapshot = await host.WaitForSnapshotAsync("lead", "L-1", s => s.Text("nurtured") is not null);

        Assert.Equal(RunStatus.Succeeded, started.Run.Status);
        Assert.Equal(1, started.Run.CausationDepth);
        Assert.Equal($"{first.Run.RunId}:start", started.Run.TriggerEventId);
        Assert.Equal(started.Run.RunId, first.Steps[0].Output.Text("runId"));
        Assert.Equal("true", first.Steps[0].Output.Text("enrolled"));
        Assert.Equal(starter.Id, snapshot.Text("nurtured"));
        Assert.Equal(RunStatus.Succeeded, second.Run.Status);
        Assert.Equal("false", second.Steps[0].Output.Text("enrolled"));
        Assert.Contains("already enrolled", second.Steps[0].Output.Text("reason"), StringComparison.Ordinal);
        Assert.Single(await host.Runs.ListForRecordAsync("lead", "L-1"), r => r.WorkflowId == target.Id);
        var listed = await host.Runs.ListForWorkflowAsync(target.Id!);
        Assert.Equal(started.Run.RunId, Assert.Single(listed.Items).RunId);
    }

    [Fact]
    public async Task Add_to_sequence_enrolls_in_the_sequence_workflow_and_its_conditions_can_skip_the_run()
    {
        var sequence = await host.ActiveWorkflowAsync("""
        {
          "name": "Big deal sequence", "module": "deal", "trigger": { "type": "record.deleted" }, "enrollment": "every_time",
          "conditions": { "all": [ { "field": "record.amount", "op": "gt", "value": 1000 } ] },
          "steps": [ { "id": "mark", "action": "update_field", "params": { "fields": { "sequenced": true } } } ]
        }
        """);
        var adder = await host.ActiveWorkflowAsync($$"""
        {
          "name": "Add to sequence", "module": "deal", "trigger": { "type": "record.created" },
          "steps": [ { "id": "add", "action": "add_to_sequence", "params": { "sequenceId": "{{sequence.Id}}" } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "deal", "D-big", new { amount = 5000 }));
        await host.SendAsync(Json.Event("record.created", "deal", "D-small", new { amount = 10 }));
        var big = await host.WaitForEndAsync("deal", "D-big", sequence.Id!);
        var small = await host.WaitForEndAsync("deal", "D-small", sequence.Id!);
        var smallAdder = await host.WaitForEndAsync("deal", "D-small", adder.Id!);

        Assert.Equal(RunStatus.Succeeded, big.Run.Status);
        Assert.Equal("true", (await host.WaitForSnapshotAsync("deal", "D-big", s => s.Text("sequenced") is not null)).Text("sequenced"));
        Assert.Equal(RunStatus.Skipped, small.Run.Status);
        Assert.Equal("skipped", smallAdder.Steps[0].Output.Text("status"));
        Assert.Contains("conditions are false", small.Run.Error, StringComparison.Ordinal);
        Assert.NotNull(small.Conditions);
    }

    [Fact]
    public async Task Start_workflow_fails_for_good_for_a_paused_an_unknown_or_another_module_s_workflow()
    {
        var paused = await host.Workflows.CreateAsync(Json.Workflow("""
            { "name": "Paused one", "module": "lead", "trigger": { "type": "record.deleted" },
              "steps": [ { "id": "x", "action": "update_field", "params": { "fields": { "x": 1 } } } ] }
            """) with { Status = WorkflowStatus.Paused });
        var other = await host.ActiveWorkflowAsync("""
            { "name": "Deal one", "module": "deal", "trigger": { "type": "record.deleted" },
              "steps": [ { "id": "x", "action": "update_field", "params": { "fields": { "x": 1 } } } ] }
            """);
        var starter = await host.ActiveWorkflowAsync("""
        {
          "name": "Starts three", "module": "lead", "trigger": { "type": "record.created" }, "enrollment": "every_time",
          "steps": [ { "id": "start", "action": "start_workflow", "params": { "workflowId": "{{ record.target }}" } } ]
        }
        """);

        await host.SendAsync(
            Json.Event("record.created", "lead", "S-1", new { target = paused.Id }),
            Json.Event("record.created", "lead", "S-2", new { target = "no-such-workflow" }),
            Json.Event("record.created", "lead", "S-3", new { target = other.Id }));
        var errors = new List<string?>();
        foreach (var id in (string[])["S-1", "S-2", "S-3"])
        {
            var run = await host.WaitForEndAsync("lead", id, starter.Id!);
            Assert.Equal(RunStatus.Failed, run.Run.Status);
            Assert.Single(run.Steps);
            errors.Add(run.Steps[0].Error);
        }

        Assert.Contains("is paused", errors[0], StringComparison.Ordinal);
        Assert.Contains("There is no workflow 'no-such-workflow'", errors[1], StringComparison.Ordinal);
        Assert.Contains("is for deal records", errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_that_starts_itself_stops_at_the_depth_limit_with_the_reason_in_the_step_output()
    {
        var created = await host.ActiveWorkflowAsync("""
            { "name": "Self starter", "module": "lead", "trigger": { "type": "record.created" }, "enrollment": "every_time",
              "steps": [ { "id": "again", "action": "start_workflow", "params": { "workflowId": "placeholder" } } ] }
            """);
        var self = Json.Workflow($$"""
            { "name": "Self starter", "module": "lead", "trigger": { "type": "record.created" }, "enrollment": "every_time",
              "steps": [ { "id": "again", "action": "start_workflow", "params": { "workflowId": "{{created.Id}}" } } ] }
            """);
        Assert.True((await host.Workflows.ReplaceAsync(created.Id!, self)).Ok);

        await host.SendAsync(Json.Event("record.created", "lead", "X-1"));
        var last = await host.WaitForRunAsync("lead", "X-1", created.Id!, r => r.Run.CausationDepth == 3 && RunTransitions.IsTerminal(r.Run.Status));

        Assert.Equal(RunStatus.Succeeded, last.Run.Status);
        Assert.Equal("false", last.Steps[0].Output.Text("enrolled"));
        Assert.Contains("causation depth 4 is past the limit of 3", last.Steps[0].Output.Text("reason"), StringComparison.Ordinal);
        Assert.Equal(4, (await host.Runs.ListForRecordAsync("lead", "X-1")).Count);
    }
}
