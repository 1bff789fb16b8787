using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using Automation.Runtime.Workflows;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class WorkflowStoreTests : RuntimeTest
{
    private static Workflow Definition(string name, string module = "lead", string url = "https://example.com/hook") => Json.Workflow($$"""
        {
          "name": "{{name}}", "module": "{{module}}", "trigger": { "type": "record.created" },
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{url}}" } } ]
        }
        """);

    [Fact]
    public async Task Create_gives_a_readable_id_version_one_and_draft_status()
    {
        var created = await Host.Workflows.CreateAsync(Definition("Welcome New Web Leads!"));
        var read = await Host.Workflows.GetAsync(created.Id!);

        Assert.Matches("^welcome-new-web-leads-[a-z0-9]{6}$", created.Id);
        Assert.Equal(1, created.Version);
        Assert.Equal(WorkflowStatus.Draft, created.Status);
        Assert.Equal(Json.Of(created).GetRawText(), Json.Of(read!).GetRawText());
    }

    [Fact]
    public async Task Replace_adds_a_version_and_keeps_the_old_ones_readable()
    {
        var created = await Host.Workflows.CreateAsync(Definition("Versioned"));
        await Host.Workflows.SetStatusAsync(created.Id!, WorkflowStatus.Active);

        var replaced = await Host.Workflows.ReplaceAsync(created.Id!, Definition("Versioned, renamed"));
        var current = await Host.Workflows.GetAsync(created.Id!);
        var first = await Host.Workflows.GetAsync(created.Id!, 1);
        var versions = await Host.Workflows.ListVersionsAsync(created.Id!);

        Assert.Equal(CommandOutcome.Ok, replaced.Outcome);
        Assert.Equal(2, current!.Version);
        Assert.Equal("Versioned, renamed", current.Name);
        Assert.Equal(WorkflowStatus.Active, current.Status);
        Assert.Equal("Versioned", first!.Name);
        Assert.Equal([2, 1], versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Replace_with_a_stale_expected_version_is_a_conflict_and_changes_nothing()
    {
        var created = await Host.Workflows.CreateAsync(Definition("Contended"));
        await Host.Workflows.ReplaceAsync(created.Id!, Definition("Contended v2"));

        var stale = await Host.Workflows.ReplaceAsync(created.Id!, Definition("Contended from v1"), expectedVersion: 1);

        Assert.Equal(CommandOutcome.Conflict, stale.Outcome);
        Assert.Equal("Contended v2", (await Host.Workflows.GetAsync(created.Id!))!.Name);
    }

    [Fact]
    public async Task Concurrent_replaces_each_become_a_version()
    {
        var created = await Host.Workflows.CreateAsync(Definition("Busy"));

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Host.Workflows.ReplaceAsync(created.Id!, Definition($"Busy {i}"))));

        Assert.All(results, r => Assert.Equal(CommandOutcome.Ok, r.Outcome));
        Assert.Equal([2, 3, 4, 5], results.Select(r => r.Value!.Version).Order());
        Assert.Equal(5, (await Host.Workflows.ListVersionsAsync(created.Id!)).Count);
    }

    [Fact]
    public async Task An_archived_workflow_cannot_change_and_unknown_ids_are_not_found()
    {
        var created = await Host.Workflows.CreateAsync(Definition("Archive me"));

        var archived = await Host.Workflows.ArchiveAsync(created.Id!);
        var edit = await Host.Workflows.ReplaceAsync(created.Id!, Definition("Too late"));
        var activate = await Host.Workflows.SetStatusAsync(created.Id!, WorkflowStatus.Active);
        var missing = await Host.Workflows.SetStatusAsync("no-such-workflow", WorkflowStatus.Active);

        Assert.Equal(WorkflowStatus.Archived, archived.Value!.Status);
        Assert.Equal(CommandOutcome.Conflict, edit.Outcome);
        Assert.Equal(CommandOutcome.Conflict, activate.Outcome);
        Assert.Equal(CommandOutcome.NotFound, missing.Outcome);
        Assert.Null(await Host.Workflows.GetAsync("no-such-workflow"));
    }

    [Fact]
    public async Task The_list_filters_pages_and_shows_run_counts()
    {
        var counted = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Counted", "module": "account", "trigger": { "type": "record.created" }, "enrollment": "every_time",
          "conditions": { "all": [ { "field": "record.ok", "op": "eq", "value": true } ] },
          "steps": [ { "id": "call", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("count")}}}" } } ]
        }
        """);
        await Host.Workflows.CreateAsync(Definition("Draft account", "account"));
        var archived = await Host.Workflows.CreateAsync(Definition("Gone", "account"));
        await Host.Workflows.ArchiveAsync(archived.Id!);
        await Host.Workflows.CreateAsync(Definition("Other module", "invoice"));
        await Host.SendAsync(
            Json.Event("record.created", "account", "A-1", new { ok = true }),
            Json.Event("record.created", "account", "A-2", new { ok = true }),
            Json.Event("record.created", "account", "A-3", new { ok = false }));
        foreach (var id in new[] { "A-1", "A-2", "A-3" })
        {
            await Host.WaitForEndAsync("account", id, counted.Id!);
        }

        var accounts = await Host.Workflows.ListAsync(new WorkflowFilter { Module = "account" });
        var active = await Host.Workflows.ListAsync(new WorkflowFilter { Status = WorkflowStatus.Active });
        var withArchived = await Host.Workflows.ListAsync(new WorkflowFilter { Module = "account", IncludeArchived = true });
        var page1 = await Host.Workflows.ListAsync(new WorkflowFilter { Module = "account" }, limit: 1);
        var page2 = await Host.Workflows.ListAsync(new WorkflowFilter { Module = "account" }, limit: 1, continuationToken: page1.ContinuationToken);
        var stats = await Host.Runs.StatsAsync(counted.Id!);
        var runs = await Host.Runs.ListForWorkflowAsync(counted.Id!);
        var skipped = await Host.Runs.ListForWorkflowAsync(counted.Id!, RunStatus.Skipped);
        var forA2 = await Host.Runs.ListForWorkflowAsync(counted.Id!, recordId: "A-2");

        Assert.Equal(["Counted", "Draft account"], accounts.Items.Select(w => w.Name).Order());
        Assert.Equal(["Counted"], active.Items.Select(w => w.Name));
        Assert.Equal(3, withArchived.Items.Count);
        Assert.Single(page1.Items);
        Assert.NotNull(page1.ContinuationToken);
        Assert.Single(page2.Items);
        Assert.NotEqual(page1.Items[0].Id, page2.Items[0].Id);
        var summary = accounts.Items.Single(w => w.Name == "Counted");
        Assert.Equal(3, summary.RunCount);
        Assert.NotNull(summary.LastRunAt);
        Assert.Equal("record.created", summary.TriggerType);
        Assert.Equal(3, stats.RunCount);
        Assert.Equal(2, stats.ByStatus[RunStatus.Succeeded]);
        Assert.Equal(1, stats.ByStatus[RunStatus.Skipped]);
        Assert.Equal(0, stats.ByStatus[RunStatus.Running]);
        Assert.Equal(3, runs.Items.Count);
        Assert.True(runs.Items.Zip(runs.Items.Skip(1)).All(p => p.First.CreatedAt >= p.Second.CreatedAt), "newest first");
        Assert.Equal("A-3", Assert.Single(skipped.Items).RecordId);
        Assert.Equal("A-2", Assert.Single(forA2.Items).RecordId);
    }
}
