using Automation.Engine.Runs;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Tests;

/// <summary>The run index's counter shards: one per writer, summed on read, folded when idle.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunIndexTests : IAsyncLifetime
{
    private RuntimeHost host = null!;

    public async Task InitializeAsync() => host = await RuntimeHost.StartAsync(pollers: false);

    public Task DisposeAsync() => host.DisposeAsync().AsTask();

    private RunIndex NewProcess(TimeProvider? time = null) =>
        new(host.Get<AutomationStorage>(), Options.Create(new RunnerOptions()), time ?? TimeProvider.System, NullLogger<RunIndex>.Instance);

    private static readonly DateTimeOffset Created = DateTimeOffset.UtcNow;

    private static RunState Run(int i, RunStatus status) => new()
    {
        RunId = Keys.RunId(Keys.RecordPartition("lead", "x" + i), "e" + i, "wf-shards"),
        WorkflowId = "wf-shards",
        WorkflowVersion = 1,
        Module = "lead",
        RecordId = "x" + i,
        Status = status,
        TriggerEventId = "e" + i,
        CreatedAt = Created,
        UpdatedAt = Created,
    };

    private async Task<int> ShardRowsAsync()
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"wf-shards"} and RowKey ge {"~c|"} and RowKey lt {"~c}"}");
        var count = 0;
        await foreach (var _ in host.Get<AutomationStorage>().RunIndex.QueryAsync<TableEntity>(filter))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public async Task Status_changes_move_counts_and_idle_shards_fold_without_losing_a_count()
    {
        var processes = Enumerable.Range(0, 40).Select(_ => NewProcess()).ToArray();
        for (var i = 0; i < processes.Length; i++)
        {
            await processes[i].RecordAsync(Run(i, RunStatus.Waiting), probablyNew: true);
        }

        await processes[0].RecordAsync(Run(0, RunStatus.Succeeded) with { UpdatedAt = Created.AddSeconds(1) }, probablyNew: false);
        var before = await NewProcess().StatsAsync("wf-shards");
        var shardsBefore = await ShardRowsAsync();

        // Eleven minutes later every shard is idle: reading the counts folds them into the base.
        var later = await NewProcess(new ShiftedTime(TimeSpan.FromMinutes(11))).StatsAsync("wf-shards");
        var shardsAfter = await ShardRowsAsync();

        // A process whose shard was folded away counts on from nothing.
        await processes[1].RecordAsync(Run(1, RunStatus.Failed) with { UpdatedAt = Created.AddSeconds(1) }, probablyNew: false);
        var after = await NewProcess().StatsAsync("wf-shards");

        Assert.Equal(40, before.RunCount);
        Assert.Equal(39, before.ByStatus[RunStatus.Waiting]);
        Assert.Equal(1, before.ByStatus[RunStatus.Succeeded]);
        Assert.Equal(40, shardsBefore);
        Assert.Equal(before.ByStatus, later.ByStatus);
        Assert.True(shardsAfter < shardsBefore, $"{shardsAfter} shard rows after folding");
        Assert.Equal(40, after.RunCount);
        Assert.Equal(38, after.ByStatus[RunStatus.Waiting]);
        Assert.Equal(1, after.ByStatus[RunStatus.Failed]);
        Assert.Equal(1, after.ByStatus[RunStatus.Succeeded]);
    }

    [Fact]
    public async Task Recording_the_same_state_twice_or_an_older_one_changes_nothing()
    {
        var index = NewProcess();
        var waiting = Run(100, RunStatus.Waiting);
        var done = waiting with { Status = RunStatus.Succeeded, UpdatedAt = waiting.UpdatedAt.AddSeconds(5) };

        await index.RecordAsync(waiting, probablyNew: true);
        await index.RecordAsync(done, probablyNew: false);
        await NewProcess().RecordAsync(done, probablyNew: true);
        await NewProcess().RecordAsync(waiting, probablyNew: false);
        var stats = await index.StatsAsync("wf-shards");
        var listed = Assert.Single((await index.ListAsync("wf-shards", null, null, 10, null)).Items);

        Assert.Equal(1, stats.RunCount);
        Assert.Equal(1, stats.ByStatus[RunStatus.Succeeded]);
        Assert.Equal(RunStatus.Succeeded, listed.Status);
    }

    private sealed class ShiftedTime(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
