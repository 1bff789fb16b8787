using System.Globalization;
using System.Text.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary>Record actions run as workflow steps: the stored record changes, the caused event flows through the event processor.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RecordActionTests : IAsyncLifetime
{
    private RuntimeHost host = null!;

    public async Task InitializeAsync() => host = await RuntimeHost.StartAsync();

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<Workflow> OneStepAsync(string module, string action, string parameters, string trigger = """{ "type": "record.created" }""") =>
        host.ActiveWorkflowAsync($$"""
        {
          "name": "{{action}} {{Guid.NewGuid():N}}", "module": "{{module}}", "trigger": {{trigger}},
          "steps": [ { "id": "change", "action": "{{action}}", "params": {{parameters}} } ]
        }
        """);

    [Fact]
    public async Task Update_field_sets_the_fields_and_emits_record_updated_with_previous_and_the_run_causation()
    {
        var wf = await OneStepAsync("contact", "update_field", """
            { "fields": { "qualified": "Yes", "reviewedOn": "{{ now | date: '%Y-%m-%d' }}", "tier": 2, "source": "{{ record.source }}" } }
            """);

        await host.SendAsync(Json.Event("record.created", "contact", "C-1", new { name = "Ann", qualified = "No", source = "Web" }));
        var run = await host.WaitForEndAsync("contact", "C-1", wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("contact", "C-1", s => s.Text("qualified") == "Yes");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(today, snapshot.Text("reviewedOn"));
        Assert.Equal("2", snapshot.Text("tier"));
        Assert.Equal("Ann", snapshot.Text("name"));
        var output = run.Steps[0].Output;
        Assert.Equal("""["qualified","reviewedOn","tier"]""", output!.Value.GetProperty("changed").GetRawText());
        Assert.Equal("No", output.Text("before.qualified"));
        Assert.Equal("Yes", output.Text("after.qualified"));
        Assert.Null(output.Text("before.tier"));
        var eventId = output.Text("eventId")!;
        Assert.Equal($"{run.Run.RunId}:change", eventId);
        Assert.False(output.Value.TryGetProperty("writeBack", out _), "without a write-back URL nothing is sent");

        var caused = (await host.EventAsync("contact", "C-1", eventId))!;
        Assert.Equal(EventTypes.RecordUpdated, caused.Event.Type);
        Assert.Equal("No", caused.Event.Previous.Text("qualified"));
        Assert.Equal("Yes", caused.Event.Record.Text("qualified"));
        Assert.Equal(new Causation(run.Run.RunId, wf.Id!, "change", 1), caused.Event.Causation);
        Assert.Equal(snapshot.LastEventId, eventId);
        await Eventually.HoldsAsync(async () => (await host.EventAsync("contact", "C-1", eventId))!.Applied);
    }

    [Fact]
    public async Task A_change_that_changes_nothing_emits_no_event()
    {
        var wf = await OneStepAsync("contact", "change_status", """{ "status": "{{ record.status }}" }""");

        await host.SendAsync(Json.Event("record.created", "contact", "C-2", new { status = "lead" }));
        var run = await host.WaitForEndAsync("contact", "C-2", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal("[]", run.Steps[0].Output!.Value.GetProperty("changed").GetRawText());
        Assert.Equal(JsonValueKind.Null, run.Steps[0].Output!.Value.GetProperty("eventId").ValueKind);
        Assert.Single(await host.EventsAsync("contact", "C-2"));
    }

    [Theory]
    [InlineData("change_status", """{ "status": "customer" }""", "status", "customer")]
    [InlineData("move_stage", """{ "stage": "Proposal" }""", "stage", "Proposal")]
    [InlineData("move_stage", """{ "stage": "Onboarding", "pipeline": "Customers" }""", "pipeline", "Customers")]
    [InlineData("mark_contact", """{ "flag": "doNotContact" }""", "doNotContact", "true")]
    [InlineData("mark_contact", """{ "flag": "emailOptOut" }""", "emailOptOut", "true")]
    [InlineData("mark_contact", """{ "flag": "smsOptOut", "value": "false" }""", "smsOptOut", "false")]
    [InlineData("mark_contact", """{ "flag": "verified" }""", "verified", "true")]
    [InlineData("mark_contact", """{ "flag": "verified", "field": "phoneVerified" }""", "phoneVerified", "true")]
    [InlineData("mark_contact", """{ "flag": "status", "value": "bad-data" }""", "status", "bad-data")]
    [InlineData("mark_contact", """{ "flag": "custom", "field": "vip", "value": "gold" }""", "vip", "gold")]
    public async Task Each_field_action_sets_its_field(string action, string parameters, string field, string expected)
    {
        var recordId = "F-" + Guid.NewGuid().ToString("N")[..8];
        var wf = await OneStepAsync("contact", action, parameters);

        await host.SendAsync(Json.Event("record.created", "contact", recordId, new { status = "lead", stage = "New", pipeline = "Sales", smsOptOut = true }));
        var run = await host.WaitForEndAsync("contact", recordId, wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("contact", recordId, s => s.LastEventId != null && s.LastEventId.EndsWith(":change", StringComparison.Ordinal));

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(expected, snapshot.Text(field));
        Assert.Equal(expected, run.Steps[0].Output.Text("after." + field));
    }

    [Fact]
    public async Task Move_stage_keeps_the_pipeline_when_none_is_given()
    {
        var wf = await OneStepAsync("deal", "move_stage", """{ "stage": "Won" }""");

        await host.SendAsync(Json.Event("record.created", "deal", "D-1", new { stage = "Proposal", pipeline = "Enterprise" }));
        await host.WaitForEndAsync("deal", "D-1", wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("deal", "D-1", s => s.Text("stage") == "Won");

        Assert.Equal("Enterprise", snapshot.Text("pipeline"));
    }

    [Theory]
    [InlineData("update_field", """{ "fields": { "note": "x" } }""", "mark_contact", """{ "flag": "custom" }""", "params.field is required when flag is custom")]
    [InlineData("update_field", """{ "fields": { "note": "x" } }""", "change_status", """{ "status": "{{ record.missing }}" }""", "params.status is required")]
    [InlineData("update_field", """{ "fields": { "note": "x" } }""", "create_task", """{ "title": "Call", "dueInDays": "{{ record.name }}" }""", "params.dueInDays: 'Ann' is not a number")]
    public async Task A_parameter_that_renders_unusable_fails_the_step_for_good_and_changes_nothing(
        string firstAction, string firstParams, string action, string parameters, string error)
    {
        var recordId = "P-" + Guid.NewGuid().ToString("N")[..8];
        var wf = await host.ActiveWorkflowAsync($$"""
        {
          "name": "Bad params {{recordId}}", "module": "contact", "trigger": { "type": "record.created" },
          "steps": [
            { "id": "bad", "action": "{{action}}", "params": {{parameters}}, "retry": { "maxAttempts": 3, "initialIntervalSeconds": 1 } },
            { "id": "after", "action": "{{firstAction}}", "params": {{firstParams}} }
          ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "contact", recordId, new { name = "Ann" }));
        var run = await host.WaitForEndAsync("contact", recordId, wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        var step = Assert.Single(run.Steps);
        Assert.Equal(StepStatus.Failed, step.Status);
        Assert.Contains(error, step.Error, StringComparison.Ordinal);
        Assert.Single(await host.EventsAsync("contact", recordId));
        Assert.Equal("""{"name":"Ann"}""", (await host.SnapshotAsync("contact", recordId))!.Fields.GetRawText());
    }

    [Fact]
    public async Task A_deleted_record_is_not_changed_and_the_step_fails_for_good()
    {
        var wf = await OneStepAsync("contact", "update_field", """{ "fields": { "archivedBy": "automation" } }""", """{ "type": "record.deleted" }""");

        await host.SendAsync(Json.Event("record.created", "contact", "C-9", new { name = "Gone" }));
        await host.WaitForSnapshotAsync("contact", "C-9", _ => true);
        await host.SendAsync(Json.Event("record.deleted", "contact", "C-9"));
        var run = await host.WaitForEndAsync("contact", "C-9", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("contact/C-9 was deleted", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Null((await host.SnapshotAsync("contact", "C-9"))!.Text("archivedBy"));
    }

    [Fact]
    public async Task Create_task_makes_a_task_record_linked_to_the_record_and_its_record_created_starts_task_workflows()
    {
        var wf = await host.ActiveWorkflowAsync("""
        {
          "name": "Follow up", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "task", "action": "create_task",
                       "params": { "title": "Call {{ record.name }}", "description": "Ask about budget", "dueInDays": 2 } } ]
        }
        """);
        var onTask = await host.ActiveWorkflowAsync("""
        {
          "name": "Tasks get a priority", "module": "task", "trigger": { "type": "record.created" },
          "steps": [ { "id": "prio", "action": "update_field", "params": { "fields": { "priority": "normal" } } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "lead", "L-1", new { name = "Ann", ownerId = "u-7" }));
        var run = await host.WaitForEndAsync("lead", "L-1", wf.Id!);
        var taskId = run.Steps[0].Output.Text("recordId")!;
        var taskRun = await host.WaitForEndAsync("task", taskId, onTask.Id!);
        var task = await host.WaitForSnapshotAsync("task", taskId, s => s.Text("priority") == "normal");

        Assert.StartsWith("task-", taskId, StringComparison.Ordinal);
        Assert.Equal("Call Ann", task.Text("title"));
        Assert.Equal("Ask about budget", task.Text("description"));
        Assert.Equal("u-7", task.Text("assignee"));
        Assert.Equal("open", task.Text("status"));
        Assert.Equal(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), task.Text("dueDate"));
        Assert.Equal("lead", task.Text("relatedModule"));
        Assert.Equal("L-1", task.Text("relatedRecordId"));
        Assert.Equal(RunStatus.Succeeded, taskRun.Run.Status);
        Assert.Equal(1, taskRun.Run.CausationDepth);
        var created = (await host.EventAsync("task", taskId, run.Steps[0].Output.Text("eventId")!))!;
        Assert.Equal(EventTypes.RecordCreated, created.Event.Type);
        Assert.Equal(new Causation(run.Run.RunId, wf.Id!, "task", 1), created.Event.Causation);
    }

    [Fact]
    public async Task Create_record_opens_an_onboarding_project_when_a_deal_is_won_and_project_workflows_start_on_it()
    {
        var wf = await host.ActiveWorkflowAsync("""
        {
          "name": "Won deals get a project", "module": "deal", "trigger": { "type": "stage.entered", "stage": "Closed Won" },
          "steps": [ { "id": "project", "action": "create_record",
                       "params": { "module": "project", "fields": { "name": "Onboarding {{ record.name }}", "seats": "{{ record.seats }}", "kickoff": "{{ now | date: '%Y-%m-%d' }}" } } } ]
        }
        """);
        var onProject = await host.ActiveWorkflowAsync("""
        {
          "name": "Projects get a plan", "module": "project", "trigger": { "type": "record.created" },
          "steps": [ { "id": "plan", "action": "update_field", "params": { "fields": { "plan": "standard for {{ record.seats }} seats" } } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "deal", "DL-1", new { name = "Acme", seats = 40, stage = "Proposal", ownerId = "u-am" }));
        await host.SendAsync(Json.Event("record.updated", "deal", "DL-1", new { name = "Acme", seats = 40, stage = "Closed Won", ownerId = "u-am" }, previous: new { stage = "Proposal" }));
        var run = await host.WaitForEndAsync("deal", "DL-1", wf.Id!);
        var projectId = run.Steps[0].Output.Text("recordId")!;
        var projectRun = await host.WaitForEndAsync("project", projectId, onProject.Id!);
        var project = await host.WaitForSnapshotAsync("project", projectId, p => p.Text("plan") is not null);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.StartsWith("project-", projectId, StringComparison.Ordinal);
        Assert.Equal("Onboarding Acme", project.Text("name"));
        Assert.Equal("40", project.Text("seats"));
        Assert.Equal("u-am", project.Text("ownerId"));
        Assert.Equal(("deal", "DL-1"), (project.Text("relatedModule"), project.Text("relatedRecordId")));
        Assert.Equal("standard for 40 seats", project.Text("plan"));
        Assert.Equal(1, projectRun.Run.CausationDepth);

    }

    [Theory]
    [InlineData("create_case", """{ "subject": "Broken login for {{ record.name }}", "priority": "high" }""", "case", "subject", "Broken login for Ann")]
    [InlineData("create_case", """{ "subject": "Refund", "assignee": "u-support" }""", "case", "assignee", "u-support")]
    [InlineData("create_opportunity", """{ "name": "Upsell {{ record.name }}", "amount": "{{ record.budget }}", "closeInDays": 30 }""", "opportunity", "amount", "12000")]
    [InlineData("create_opportunity", """{ "name": "Renewal", "stage": "Qualification" }""", "opportunity", "ownerId", "u-7")]
    [InlineData("add_note", """{ "body": "{{ record.name }} asked for a call back." }""", "note", "body", "Ann asked for a call back.")]
    [InlineData("create_record", """{ "module": "sales_order", "fields": { "customer": "{{ record.name }}", "total": "{{ record.budget }}" } }""", "sales_order", "customer", "Ann")]
    [InlineData("create_record", """{ "module": "sales_order", "fields": { "customer": "x" } }""", "sales_order", "ownerId", "u-7")]
    [InlineData("create_record", """{ "module": "sales_order", "fields": { "customer": "x" }, "ownerId": "u-ops" }""", "sales_order", "ownerId", "u-ops")]
    [InlineData("create_record", """{ "module": "sales_order", "fields": { "customer": "x", "ownerId": "u-fields" } }""", "sales_order", "ownerId", "u-fields")]
    public async Task Created_records_get_their_fields_and_a_link_back(string action, string parameters, string module, string field, string expected)
    {
        var recordId = "K-" + Guid.NewGuid().ToString("N")[..8];
        var wf = await OneStepAsync("account", action, parameters);

        await host.SendAsync(Json.Event("record.created", "account", recordId, new { name = "Ann", ownerId = "u-7", budget = "12000" }));
        var run = await host.WaitForEndAsync("account", recordId, wf.Id!);
        var output = run.Steps[0].Output;
        var created = await host.WaitForSnapshotAsync(module, output.Text("recordId")!, _ => true);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(module, output.Text("module"));
        Assert.Equal(expected, created.Text(field));
        Assert.Equal(recordId, created.Text("relatedRecordId"));
        Assert.Equal("account", created.Text("relatedModule"));
    }
}
