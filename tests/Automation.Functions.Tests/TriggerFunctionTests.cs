using System.Text.Json;
using Automation.Functions.Triggers;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Intake;
using Automation.Runtime.Processing;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Runtime.Workflows;
using Azure.Messaging.ServiceBus;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Tests;

/// <summary>
/// The non-HTTP functions with messages built as the Functions host's bindings build them (ServiceBusModelFactory,
/// QueuesModelFactory, TimerInfo), against the shared Azurite: what they accept, queue, dead-letter, and when they
/// throw so that the host redelivers.
/// </summary>
public sealed class TriggerFunctionTests : IAsyncLifetime
{
    private readonly FunctionsApp app = new();

    public async Task InitializeAsync() => await app.Storage.EnsureCreatedAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static string EventJson(string recordId, string id) =>
        $$"""{ "id": "{{id}}", "type": "record.created", "module": "lead", "recordId": "{{recordId}}", "record": { "name": "Ada" } }""";

    private static ServiceBusReceivedMessage Message(string body, int deliveryCount = 1) => ServiceBusModelFactory.ServiceBusReceivedMessage(
        body: BinaryData.FromString(body),
        messageId: Guid.NewGuid().ToString("N"),
        contentType: "application/json",
        deliveryCount: deliveryCount);

    private static QueueMessage QueueMessage(string text, long dequeueCount) => QueuesModelFactory.QueueMessage(
        "m-" + Guid.NewGuid().ToString("N")[..8], "pop", text, dequeueCount);

    private Task ServiceBusAsync(string body, int deliveryCount = 1) =>
        app.Function<ServiceBusEventsFunction>().Run(Message(body, deliveryCount), app.DurableClient, CancellationToken.None);

    private async Task<int> QueuedEventsAsync() => (await app.Storage.Events.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync() => (await app.Get<DeadLetterStore>().ListAsync()).Items;

    [Fact]
    public async Task Service_bus_takes_a_single_event_into_the_events_queue()
    {
        await ServiceBusAsync(EventJson("B-1", "sb-1"));

        Assert.Equal(1, await QueuedEventsAsync());
        Assert.Empty(await DeadLettersAsync());
    }

    [Fact]
    public async Task Service_bus_takes_an_array_of_events()
    {
        await ServiceBusAsync($"[{EventJson("B-2", "sb-2")}, {EventJson("B-3", "sb-3")}]");

        Assert.Equal(2, await QueuedEventsAsync());
    }

    [Fact]
    public async Task Service_bus_redelivery_of_the_same_event_is_a_duplicate()
    {
        await ServiceBusAsync(EventJson("B-4", "sb-4"));
        var processed = await app.Storage.Events.ReceiveMessagesAsync(32);

        // Redelivered once the first delivery's event is processed: intake recognises the id and queues nothing new.
        foreach (var message in processed.Value)
        {
            await app.Get<EventProcessor>().ProcessAsync(message.MessageText, message.DequeueCount);
            await app.Storage.Events.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        await ServiceBusAsync(EventJson("B-4", "sb-4"), deliveryCount: 2);

        Assert.Equal(0, await QueuedEventsAsync());
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{ "type": "record.created", "module": "lead", "recordId": "B-5" }""")]
    [InlineData("42")]
    [InlineData("[]")]
    public async Task Service_bus_dead_letters_a_message_that_can_never_be_accepted_and_completes_it(string body)
    {
        await ServiceBusAsync(body, deliveryCount: 3);

        var letter = Assert.Single(await DeadLettersAsync());
        Assert.Equal((ServiceBusIntake.DeadLetterQueue, body, 3L), (letter.Queue, letter.Payload, letter.DequeueCount));
        Assert.Equal(0, await QueuedEventsAsync());
    }

    [Fact]
    public async Task Events_queue_dead_letters_a_message_it_cannot_read_and_completes_it()
    {
        await app.Function<EventsQueueFunction>().Run(QueueMessage("not an event message", 1), app.DurableClient, CancellationToken.None);

        Assert.Equal("not an event message", Assert.Single(await DeadLettersAsync()).Payload);
    }

    [Fact]
    public async Task Events_queue_throws_while_a_message_fails_so_the_host_retries_and_dead_letters_it_at_the_last_dequeue()
    {
        // A well-formed pointer to an event intake never recorded: processing it fails.
        var orphan = new EventMessage("lead", "Q-404", "never-recorded").ToJson();
        var function = app.Function<EventsQueueFunction>();

        await Assert.ThrowsAnyAsync<Exception>(() => function.Run(QueueMessage(orphan, 1), app.DurableClient, CancellationToken.None));
        var afterFirst = await DeadLettersAsync();
        await function.Run(QueueMessage(orphan, 5), app.DurableClient, CancellationToken.None);

        Assert.Empty(afterFirst);
        var letter = Assert.Single(await DeadLettersAsync());
        Assert.Equal(("events", orphan, 5L), (letter.Queue, letter.Payload, letter.DequeueCount));
    }

    [Fact]
    public async Task Scheduler_tick_fires_a_due_schedule_once_however_often_the_timer_runs()
    {
        var workflow = JsonSerializer.Deserialize<Workflow>(
            """{ "name": "Every minute", "module": "report", "trigger": { "type": "schedule", "cron": "* * * * *" }, "steps": [] }""",
            EngineJson.Options)!;
        await app.Get<WorkflowStore>().CreateAsync(workflow with { Status = WorkflowStatus.Active });
        app.Clock.Set(new DateTimeOffset(2026, 3, 9, 8, 0, 5, TimeSpan.Zero));
        var function = app.Function<SchedulerFunction>();

        await function.Run(new TimerInfo(), app.DurableClient, CancellationToken.None);
        await function.Run(new TimerInfo { IsPastDue = true }, app.DurableClient, CancellationToken.None);

        Assert.Equal(1, await QueuedEventsAsync());
    }
}
