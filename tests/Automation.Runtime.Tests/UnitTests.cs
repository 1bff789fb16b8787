using Automation.Runtime.Actions;
using Automation.Runtime.Processing;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Scheduling;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

public sealed class StorageNamesTests
{
    [Theory]
    [InlineData("automation", "automation", "automation")]
    [InlineData("My-App_1", "MyApp1", "my-app-1")]
    [InlineData("9lives", "a9lives", "9lives")]
    [InlineData("--", "a", "a")]
    [InlineData("a--b", "ab", "a-b")]
    public void Prefixes_are_made_valid_for_tables_and_queues(string prefix, string tables, string queues)
    {
        var names = new StorageNames(prefix);

        Assert.Equal(tables, names.TablePrefix);
        Assert.Equal(queues, names.QueuePrefix);
        Assert.Equal(tables + "Records", names.RecordsTable);
        Assert.Equal(queues + "-events", names.EventsQueue);
    }

    [Fact]
    public void A_long_prefix_still_gives_names_of_at_most_63_characters()
    {
        var names = new StorageNames(new string('x', 100));

        Assert.All(names.Tables.Concat(names.Queues), n => Assert.InRange(n.Length, 3, 63));
    }

    [Theory]
    [InlineData("https://acct.blob.core.windows.net", "table", "https://acct.table.core.windows.net/")]
    [InlineData("https://acct.queue.core.chinacloudapi.cn/", "table", "https://acct.table.core.chinacloudapi.cn/")]
    [InlineData("https://acct.table.core.windows.net", "queue", "https://acct.queue.core.windows.net/")]
    public void A_service_uri_gives_the_other_services_of_the_account(string uri, string service, string expected) =>
        Assert.Equal(expected, AutomationStorage.ServiceEndpoint(new Uri(uri), service).ToString());
}

public sealed class KeysTests
{
    [Fact]
    public void A_run_id_names_its_record_partition_and_is_the_same_for_the_same_event_and_workflow()
    {
        var partition = Keys.RecordPartition("Lead", "L-1");
        var runId = Keys.RunId(partition, "evt-1", "wf-1");

        Assert.Equal(partition, Keys.RecordPartition("lead", "L-1"));
        Assert.Equal(runId, Keys.RunId(partition, "evt-1", "wf-1"));
        Assert.NotEqual(runId, Keys.RunId(partition, "evt-2", "wf-1"));
        Assert.True(Keys.TryParseRunId(runId, out var parsed));
        Assert.Equal(partition, parsed);
        Assert.False(Keys.TryParseRunId("not-a-run", out _));
    }

    [Theory]
    [InlineData("plain-id_1.2", "plain-id_1.2")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a%2Fb", "a%252Fb")]
    [InlineData("q?#\\", "q%3F%23%5C")]
    [InlineData("tab\tx", "tab%09x")]
    public void Ids_are_escaped_into_valid_distinct_keys(string id, string key) => Assert.Equal(key, Keys.Escape(id));

    [Fact]
    public void Inverted_ticks_sort_the_newest_first()
    {
        var now = DateTimeOffset.UtcNow;

        Assert.True(string.CompareOrdinal(Keys.InvertedTicks(now.AddSeconds(1)), Keys.InvertedTicks(now)) < 0);
    }
}

public sealed class DateWakeInstanceTests
{
    private static readonly DateTimeOffset Due = new(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);

    private static DateWakeMessage Wake(string record = "INV-1", DateTimeOffset? due = null) =>
        new(DateWakeMessage.DateKind, "wf-1", "Invoice", record, "2026-01-01T00:00:00Z", due ?? Due);

    [Fact]
    public void The_same_wake_up_always_gets_the_same_instance_and_another_record_or_instant_another()
    {
        var id = RunOrchestrations.DateWakeInstanceId(Wake());

        Assert.Equal(id, RunOrchestrations.DateWakeInstanceId(Wake() with { Module = "invoice" }));
        Assert.NotEqual(id, RunOrchestrations.DateWakeInstanceId(Wake("INV-2")));
        Assert.NotEqual(id, RunOrchestrations.DateWakeInstanceId(Wake(due: Due.AddHours(1))));
        Assert.StartsWith("date-", id, StringComparison.Ordinal);
    }
}
