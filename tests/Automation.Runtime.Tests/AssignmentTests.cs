using Automation.Engine.Runs;
using Automation.Runtime.Actions.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Teams;
using Automation.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Tests;

/// <summary>assign_owner: fixed, round-robin over a configured team without a hot row, and a rule table.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AssignmentTests : IAsyncLifetime
{
    private RuntimeHost host = null!;

    public async Task InitializeAsync() => host = await RuntimeHost.StartAsync(settings: Team("sales", "u-ann", "u-bob", "u-cy"));

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static Dictionary<string, string?> Team(string name, params string[] ids)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < ids.Length; i++)
        {
            settings[$"Automation:Teams:{name}:Members:{i}:Id"] = ids[i];
            settings[$"Automation:Teams:{name}:Members:{i}:Email"] = ids[i] + "@example.com";
            settings[$"Automation:Teams:{name}:Members:{i}:Name"] = "Name of " + ids[i];
            settings[$"Automation:Teams:{name}:Members:{i}:Phone"] = "+4420700000" + i;
        }

        return settings;
    }

    [Fact]
    public void Teams_bind_from_configuration_with_id_email_name_and_phone()
    {
        var teams = host.Get<IOptions<TeamsOptions>>().Value;

        var team = teams.Find("SALES");
        Assert.NotNull(team);
        Assert.Equal(["u-ann", "u-bob", "u-cy"], team.Members.Select(m => m.Id));
        Assert.Equal("u-bob@example.com", team.Members[1].Email);
        Assert.Equal("Name of u-cy", team.Members[2].Name);
        Assert.Equal("+44207000000", team.Members[0].Phone);
        Assert.Null(teams.Find("support"));
    }

    [Fact]
    public async Task Fixed_sets_the_owner_into_the_field_named()
    {
        var wf = await host.ActiveWorkflowAsync("""
        {
          "name": "Fixed", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "assign", "action": "assign_owner", "params": { "strategy": "fixed", "ownerId": "{{ record.rep }}", "field": "salesRepId" } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "lead", "L-1", new { rep = "u-9" }));
        var run = await host.WaitForEndAsync("lead", "L-1", wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("lead", "L-1", s => s.Text("salesRepId") is not null);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal("u-9", snapshot.Text("salesRepId"));
        Assert.Null(snapshot.Text("ownerId"));
        Assert.Equal("fixed", run.Steps[0].Output.Text("strategy"));
    }

    [Fact]
    public async Task Round_robin_with_one_stripe_takes_strict_turns_across_a_team()
    {
        await using var strict = await RuntimeHost.StartAsync(settings: new Dictionary<string, string?>(Team("sales", "u-ann", "u-bob", "u-cy"))
        {
            ["Automation:Assignment:RoundRobinStripes"] = "1",
        });
        var wf = await strict.ActiveWorkflowAsync("""
        {
          "name": "Round robin", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "assign", "action": "assign_owner", "params": { "strategy": "round_robin", "team": "sales" } } ]
        }
        """);

        var ids = Enumerable.Range(1, 9).Select(i => $"RR-{i}").ToArray();
        await strict.SendAsync(ids.Select(id => Json.Event("record.created", "lead", id, new { name = id })).ToArray());
        var runs = new List<RunDetails>();
        foreach (var id in ids)
        {
            runs.Add(await strict.WaitForEndAsync("lead", id, wf.Id!));
        }

        var owners = new List<string>();
        foreach (var id in ids)
        {
            owners.Add((await strict.WaitForSnapshotAsync("lead", id, s => s.Text("ownerId") is not null)).Text("ownerId")!);
        }

        Assert.All(runs, r => Assert.Equal(RunStatus.Succeeded, r.Run.Status));
        Assert.Equal([3, 3, 3], owners.GroupBy(o => o).Select(g => g.Count()));
        Assert.Equal(["u-ann", "u-bob", "u-cy"], owners.Distinct().Order());
        Assert.Equal(Enumerable.Range(0, 9).Select(i => (long)i), runs.Select(r => long.Parse(r.Steps[0].Output.Text("turn")!)).Order());
    }

    [Fact]
    public async Task Round_robin_over_stripes_rotates_strictly_within_each_stripe_and_keeps_members_within_the_stripe_count()
    {
        var roundRobin = host.Get<RoundRobin>();
        var members = host.Get<IOptions<TeamsOptions>>().Value.Find("sales")!.Members;
        Assert.Equal(4, roundRobin.Stripes);

        var turns = new List<RoundRobinTurn>();
        foreach (var batch in Enumerable.Range(0, 120).Chunk(12))
        {
            turns.AddRange(await Task.WhenAll(batch.Select(i => roundRobin.NextAsync("sales", members, $"run-{i}:assign", CancellationToken.None))));
        }

        var counts = members.Select(m => turns.Count(t => t.Member.Id == m.Id)).ToArray();
        Assert.True(counts.Max() - counts.Min() <= roundRobin.Stripes, $"counts {string.Join(", ", counts)}");
        foreach (var stripe in turns.GroupBy(t => t.Stripe))
        {
            var ordered = stripe.OrderBy(t => t.Turn).ToArray();
            Assert.Equal(Enumerable.Range(0, ordered.Length).Select(i => (long)i), ordered.Select(t => t.Turn));
            var start = stripe.Key * members.Count / roundRobin.Stripes;
            Assert.All(ordered, t => Assert.Equal((int)((t.Turn + start) % members.Count), t.Index));
        }

        Assert.True(turns.Select(t => t.Stripe).Distinct().Count() > 1, "changes spread over several stripes");
    }

    [Fact]
    public async Task A_repeated_change_gets_the_same_member_without_taking_another_turn()
    {
        var roundRobin = host.Get<RoundRobin>();
        var members = host.Get<IOptions<TeamsOptions>>().Value.Find("sales")!.Members;

        var first = await roundRobin.NextAsync("sales", members, "run-x:assign", CancellationToken.None);
        var again = await roundRobin.NextAsync("sales", members, "run-x:assign", CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(0, first.Turn);
    }

    [Theory]
    [InlineData("EMEA", "DE", "u-emea", "0")]
    [InlineData("APAC", "JP", "u-apac", "1")]
    [InlineData("APAC", "AU", "u-anz", "1")]
    [InlineData("AMER", "US", "u-default", "2")]
    public async Task Rules_assign_the_owner_of_the_first_matching_rule(string territory, string country, string owner, string rule)
    {
        var recordId = $"T-{territory}-{country}";
        var wf = await host.ActiveWorkflowAsync($$$"""
        {
          "name": "Territories {{{recordId}}}", "module": "contact", "trigger": { "type": "record.created" },
          "steps": [ { "id": "assign", "action": "assign_owner", "params": { "strategy": "rules", "rules": [
            { "when": { "field": "record.territory", "op": "eq", "value": "EMEA" }, "ownerId": "u-emea" },
            { "when": { "field": "record.territory", "op": "eq", "value": "APAC" }, "ownerId": "{{ record.country | replace: 'AU', 'u-anz' | replace: 'JP', 'u-apac' }}" },
            { "ownerId": "u-default" } ] } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "contact", recordId, new { territory, country }));
        var run = await host.WaitForEndAsync("contact", recordId, wf.Id!);
        var snapshot = await host.WaitForSnapshotAsync("contact", recordId, s => s.Text("ownerId") is not null);

        Assert.Equal(owner, snapshot.Text("ownerId"));
        Assert.Equal(rule, run.Steps[0].Output.Text("rule"));
    }

    [Theory]
    [InlineData("""{ "strategy": "rules", "rules": [ { "when": { "field": "record.territory", "op": "eq", "value": "EMEA" }, "ownerId": "u-emea" } ] }""", "No assignment rule matched (false: params.rules[0].when)")]
    [InlineData("""{ "strategy": "round_robin", "team": "support" }""", "there is no team 'support'")]
    [InlineData("""{ "strategy": "rules", "rules": [ { "when": { "field": "record.territory", "op": "sounds_like", "value": "x" }, "ownerId": "u" } ] }""", "params.rules[0].when is not a valid condition")]
    public async Task An_assignment_that_cannot_be_made_fails_the_step_for_good(string parameters, string error)
    {
        var recordId = "N-" + Guid.NewGuid().ToString("N")[..8];
        var wf = await host.ActiveWorkflowAsync($$"""
        {
          "name": "Cannot {{recordId}}", "module": "contact", "trigger": { "type": "record.created" },
          "steps": [ { "id": "assign", "action": "assign_owner", "params": {{parameters}} } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "contact", recordId, new { territory = "AMER" }));
        var run = await host.WaitForEndAsync("contact", recordId, wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains(error, Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Null((await host.SnapshotAsync("contact", recordId))!.Text("ownerId"));
    }
}
