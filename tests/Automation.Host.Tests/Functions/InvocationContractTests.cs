using System.Net;
using System.Text;
using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Intake;
using Automation.Runtime.Processing;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;

namespace Automation.Host.Tests.Functions;

/// <summary>
/// The custom-handler contract of every non-HTTP function: payloads shaped as the Functions host posts them
/// (<see cref="HostPayloads"/>), the answer's shape, failures as non-2xx, and the effects (runs, dead letters).
/// </summary>
public sealed class InvocationContractTests : IAsyncLifetime, IDisposable
{
    private ContractHostFactory host = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        host = new ContractHostFactory();
        client = host.CreateClient();
        await host.Storage.EnsureCreatedAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    public void Dispose() => client.Dispose();

    private DateTimeOffset Now => host.Clock.GetUtcNow();

    private Task<Workflow> WelcomeAsync(string module = "lead") => host.ActiveWorkflowAsync($$"""
        { "name": "Welcome", "module": "{{module}}", "trigger": { "type": "record.created" }, "enrollment": "every_time", "steps": [] }
        """);

    private Task<HttpResponseMessage> InvokeAsync(string function, string payload) =>
        client.PostAsync(new Uri("/" + function, UriKind.Relative), new StringContent(payload, Encoding.UTF8, "application/json"));

    private static CrmEvent Created(string recordId, string? id = null) => new()
    {
        Id = id ?? "evt-" + Guid.NewGuid().ToString("N")[..10],
        Type = EventTypes.RecordCreated,
        Module = "lead",
        RecordId = recordId,
        Record = JsonDocument.Parse("""{ "name": "Ada" }""").RootElement.Clone(),
    };

    private static string EventJson(string recordId, string id) =>
        $$"""{ "id": "{{id}}", "type": "record.created", "module": "lead", "recordId": "{{recordId}}", "record": { "name": "Ada" } }""";

    /// <summary>The answer the protocol defines: exactly Outputs (object), Logs (strings) and ReturnValue (null), status 200.</summary>
    private static async Task<string[]> AssertAnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        var answer = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["Logs", "Outputs", "ReturnValue"], answer.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Object, answer.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("ReturnValue").ValueKind);
        return answer.GetProperty("Logs").EnumerateArray().Select(l => l.GetString()!).ToArray();
    }

    /// <summary>Plays the Functions host's queue trigger: each visible message posted to the function, deleted when it succeeded.</summary>
    private async Task<int> DeliverAsync(Azure.Storage.Queues.QueueClient queue, string function)
    {
        var delivered = 0;
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32)).Value;
            if (messages.Length == 0)
            {
                return delivered;
            }

            foreach (var message in messages)
            {
                using var response = await InvokeAsync(function, HostPayloads.Queue(function, message.MessageText, Now, message.DequeueCount));
                await AssertAnswerAsync(response);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                delivered++;
            }
        }
    }

    private Task<IReadOnlyList<RunSummary>> RunsAsync(string recordId, string module = "lead") =>
        host.Get<RunQueries>().ListForRecordAsync(module, recordId);

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() => (await host.Get<DeadLetterStore>().ListAsync()).Items;

    [Fact]
    public async Task Events_queue_takes_a_real_queued_message_as_the_host_passes_it_and_creates_the_run()
    {
        var wf = await WelcomeAsync();
        await host.Get<IntakeService>().AcceptAsync([Created("Q-1")]);
        var message = Assert.Single((await host.Storage.Events.ReceiveMessagesAsync(32)).Value);

        using var response = await InvokeAsync("EventsQueue", HostPayloads.Queue("EventsQueue", message.MessageText, Now));

        await AssertAnswerAsync(response);
        var run = Assert.Single(await RunsAsync("Q-1"));
        Assert.Equal((wf.Id, RunStatus.Succeeded), (run.WorkflowId, run.Status));
        Assert.Empty(await DeadLettersAsync());
    }

    [Fact]
    public async Task Events_queue_also_takes_the_message_as_the_documentation_shows_it_unencoded()
    {
        await WelcomeAsync();
        await host.Get<IntakeService>().AcceptAsync([Created("Q-2")]);
        var message = Assert.Single((await host.Storage.Events.ReceiveMessagesAsync(32)).Value);

        using var response = await InvokeAsync("EventsQueue", HostPayloads.Queue("EventsQueue", message.MessageText, Now, encoded: false));

        await AssertAnswerAsync(response);
        Assert.Single(await RunsAsync("Q-2"));
    }

    [Fact]
    public async Task Events_queue_answers_non_2xx_while_a_message_fails_so_the_host_retries_and_dead_letters_it_at_the_last_dequeue()
    {
        // A well-formed pointer to an event intake never recorded: processing it throws.
        var orphan = new EventMessage("lead", "Q-404", "never-recorded").ToJson();

        using var first = await InvokeAsync("EventsQueue", HostPayloads.Queue("EventsQueue", orphan, Now, dequeueCount: 1));
        var afterFirst = await DeadLettersAsync();
        using var last = await InvokeAsync("EventsQueue", HostPayloads.Queue("EventsQueue", orphan, Now, dequeueCount: 5));

        Assert.False(first.IsSuccessStatusCode);
        Assert.Empty(afterFirst);
        await AssertAnswerAsync(last);
        var letter = Assert.Single(await DeadLettersAsync());
        Assert.Equal(("events", orphan, 5L), (letter.Queue, letter.Payload, letter.DequeueCount));
    }

    [Fact]
    public async Task Events_queue_dead_letters_a_message_it_cannot_read_and_completes_it()
    {
        using var response = await InvokeAsync("EventsQueue", HostPayloads.Queue("EventsQueue", "not an event message", Now));

        await AssertAnswerAsync(response);
        Assert.Equal("not an event message", Assert.Single(await DeadLettersAsync()).Payload);
    }

    [Fact]
    public async Task An_invocation_without_the_hosts_shape_is_refused()
    {
        using var response = await InvokeAsync("EventsQueue", """["not", "an", "invocation"]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Steps_queue_dead_letters_a_message_that_names_no_run()
    {
        using var response = await InvokeAsync("StepsQueue", HostPayloads.Queue("StepsQueue", """{ "runId": "nope" }""", Now));

        await AssertAnswerAsync(response);
        Assert.Equal("steps", Assert.Single(await DeadLettersAsync()).Queue);
    }

    [Fact]
    public async Task Service_bus_takes_a_single_event_and_it_runs()
    {
        var wf = await WelcomeAsync();

        using var response = await InvokeAsync("ServiceBusEvents", HostPayloads.ServiceBus(EventJson("B-1", "sb-1"), Now, messageId: "sb-1"));
        var logs = await AssertAnswerAsync(response);
        await DeliverAsync(host.Storage.Events, "EventsQueue");

        Assert.Contains(logs, l => l.Contains("Accepted 1 event(s), 0 duplicate(s)", StringComparison.Ordinal));
        Assert.Equal(wf.Id, Assert.Single(await RunsAsync("B-1")).WorkflowId);
    }

    [Fact]
    public async Task Service_bus_takes_an_array_of_events()
    {
        await WelcomeAsync();

        using var response = await InvokeAsync("ServiceBusEvents", HostPayloads.ServiceBus($"[{EventJson("B-2", "sb-2")}, {EventJson("B-3", "sb-3")}]", Now));
        await AssertAnswerAsync(response);
        await DeliverAsync(host.Storage.Events, "EventsQueue");

        Assert.Single(await RunsAsync("B-2"));
        Assert.Single(await RunsAsync("B-3"));
    }

    [Fact]
    public async Task Service_bus_redelivery_of_the_same_event_is_a_duplicate_and_runs_once()
    {
        await WelcomeAsync();
        var payload = HostPayloads.ServiceBus(EventJson("B-4", "sb-4"), Now, messageId: "sb-4");

        using var first = await InvokeAsync("ServiceBusEvents", payload);
        await AssertAnswerAsync(first);
        await DeliverAsync(host.Storage.Events, "EventsQueue");
        using var again = await InvokeAsync("ServiceBusEvents", HostPayloads.ServiceBus(EventJson("B-4", "sb-4"), Now, deliveryCount: 2, messageId: "sb-4"));
        var logs = await AssertAnswerAsync(again);
        await DeliverAsync(host.Storage.Events, "EventsQueue");

        Assert.Contains(logs, l => l.Contains("Accepted 0 event(s), 1 duplicate(s)", StringComparison.Ordinal));
        Assert.Single(await RunsAsync("B-4"));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "type": "record.created", "module": "lead", "recordId": "B-5" }""")]
    [InlineData("42")]
    public async Task Service_bus_dead_letters_a_message_that_can_never_be_accepted_and_completes_it(string body)
    {
        await WelcomeAsync();

        using var response = await InvokeAsync("ServiceBusEvents", HostPayloads.ServiceBus(body, Now));

        var logs = await AssertAnswerAsync(response);
        Assert.Contains(logs, l => l.StartsWith("Message dead-lettered", StringComparison.Ordinal));
        var letter = Assert.Single(await DeadLettersAsync());
        Assert.Equal(("servicebus", body), (letter.Queue, letter.Payload));
        Assert.Equal(0, (await host.Storage.Events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    private Task<Workflow> EveryMinuteAsync() => host.ActiveWorkflowAsync("""
        { "name": "Every minute", "module": "report", "trigger": { "type": "schedule", "cron": "* * * * *" }, "steps": [] }
        """);

    [Fact]
    public async Task Scheduler_tick_fires_a_due_schedule_once_and_its_run_is_created()
    {
        var wf = await EveryMinuteAsync();
        host.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 0, 5, TimeSpan.Zero));

        using var first = await InvokeAsync("Scheduler", HostPayloads.Timer(Now));
        var logs = await AssertAnswerAsync(first);
        using var second = await InvokeAsync("Scheduler", HostPayloads.Timer(Now));
        await AssertAnswerAsync(second);
        var delivered = await DeliverAsync(host.Storage.Events, "EventsQueue");

        Assert.Contains(logs, l => l.Contains("1 occurrence(s) fired, 1 event(s) queued", StringComparison.Ordinal));
        Assert.Equal(1, delivered);
        var run = Assert.Single(await RunsAsync($"schedule:{wf.Id}:2026-03-09T08:00:00Z", "report"));
        Assert.Equal((wf.Id, RunStatus.Succeeded), (run.WorkflowId, run.Status));
    }

    [Fact]
    public async Task Two_concurrent_scheduler_ticks_fire_an_occurrence_once()
    {
        await EveryMinuteAsync();
        host.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 0, 5, TimeSpan.Zero));

        var responses = await Task.WhenAll(
            InvokeAsync("Scheduler", HostPayloads.Timer(Now)),
            InvokeAsync("Scheduler", HostPayloads.Timer(Now, pastDue: true)));
        foreach (var response in responses)
        {
            await AssertAnswerAsync(response);
            response.Dispose();
        }

        Assert.Equal(1, (await host.Storage.Events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Scheduler_tick_never_runs_ahead_of_the_clock_whatever_time_the_invocation_names()
    {
        await host.ActiveWorkflowAsync("""
            { "name": "Nine", "module": "report", "trigger": { "type": "schedule", "cron": "0 9 * * *" }, "steps": [] }
            """);
        host.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 59, 58, TimeSpan.Zero));

        using var response = await InvokeAsync("Scheduler", HostPayloads.Timer(new DateTimeOffset(2026, 3, 9, 9, 0, 30, TimeSpan.Zero)));

        await AssertAnswerAsync(response);
        Assert.Equal(0, (await host.Storage.Events.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_past_due_timer_says_so_in_the_logs()
    {
        using var response = await InvokeAsync("Scheduler", HostPayloads.Timer(Now, pastDue: true));

        var logs = await AssertAnswerAsync(response);
        Assert.Contains("The timer was past due.", logs);
    }
}
