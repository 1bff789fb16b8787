using System.Text.Json;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Triggers;
using Automation.Runtime.Events;
using Automation.Runtime.Polling;
using Automation.Runtime.Processing;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Intake;

/// <summary>
/// Ids in the order they came: accepted (recorded and queued now) and duplicates (seen before). Of the accepted,
/// <see cref="Unmatched"/> lists those no workflow can ever start a run for, and <see cref="Notes"/> those only change
/// triggers can react to (their type is one no trigger listens for), each with the reason.
/// </summary>
public sealed record IntakeResult(IReadOnlyList<string> Accepted, IReadOnlyList<string> Duplicates)
{
    public IReadOnlyList<IntakeNote> Unmatched { get; init; } = [];

    public IReadOnlyList<IntakeNote> Notes { get; init; } = [];
}

public sealed record IntakeNote(string Id, string Reason);

/// <summary>
/// Accepts events: records each id in its record's partition (insert: the id's first sighting wins), then queues it.
/// Answers only once every accepted event is durably queued.
/// <para>A crash between "recorded" and "queued" must not lose the event: the client, having no answer, sends it
/// again; the id is then a duplicate, but its row is still <c>pending</c> (the processor has not applied it), so it
/// is queued again. The processor is idempotent per event (an applied event only resumes the runs it created), so an
/// event queued twice is still processed once (invariant 1).</para>
/// </summary>
public sealed class IntakeService(AutomationStorage storage, QueueSignals signals, EventFeed feed, TimeProvider time, ILogger<IntakeService> logger)
{
    /// <summary>An event as stored (its JSON) may not exceed this: a table entity holds at most 1 MiB.</summary>
    public const int MaxEventBytes = 900 * 1024;

    private const int Parallelism = 16;
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> before writing anything when an event is too large to store
    /// (the message names it by position, <c>[3]</c>).
    /// </summary>
    public async Task<IntakeResult> AcceptAsync(IReadOnlyList<CrmEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            var size = JsonColumns.Size(events[i]);
            if (size > MaxEventBytes)
            {
                throw new ArgumentException($"[{i}]: the event is {size} bytes; at most {MaxEventBytes} can be stored.", nameof(events));
            }
        }

        // The same id twice in one request is one event: the first counts, the second is a duplicate.
        var firsts = new HashSet<(string, string)>();
        var outcomes = new bool?[events.Count];
        var work = new List<(int Index, CrmEvent Event)>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            if (firsts.Add((Keys.RecordPartition(e.Module, e.RecordId), e.Id)))
            {
                work.Add((i, e));
            }
            else
            {
                outcomes[i] = false;
            }
        }

        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (item, ct) => outcomes[item.Index] = await AcceptOneAsync(item.Event, ct));

        signals.Events.Notify();
        await RecordInFeedAsync(events, outcomes, cancellationToken);
        var accepted = new List<string>();
        var duplicates = new List<string>();
        var unmatched = new List<IntakeNote>();
        var notes = new List<IntakeNote>();
        for (var i = 0; i < events.Count; i++)
        {
            (outcomes[i] == true ? accepted : duplicates).Add(events[i].Id);
            if (outcomes[i] == true && EventReach.Check(events[i]) is { } reach)
            {
                (reach.Never ? unmatched : notes).Add(new IntakeNote(events[i].Id, reach.Reason));
            }
        }

        return new IntakeResult(accepted, duplicates) { Unmatched = unmatched, Notes = notes };
    }

    /// <summary>
    /// Adds the request's events to the events feed, duplicates included (the feed is where a newcomer sees that an id
    /// was answered as a duplicate). Every event is already stored and queued: a failure here loses no event, only its
    /// line in the feed, so it is logged and the answer still goes out.
    /// </summary>
    private async Task RecordInFeedAsync(IReadOnlyList<CrmEvent> events, bool?[] outcomes, CancellationToken cancellationToken)
    {
        try
        {
            await feed.RecordAsync(events.Select((e, i) => (e, outcomes[i] != true)).ToArray(), time.GetUtcNow(), cancellationToken);
        }
        catch (RequestFailedException e)
        {
            Logs.FeedNotWritten(logger, events.Count, e.Message);
        }
    }

    /// <summary>True: accepted. False: a duplicate (queued again if it may not have been queued the first time).</summary>
    private async Task<bool> AcceptOneAsync(CrmEvent evt, CancellationToken cancellationToken)
    {
        var partition = Keys.RecordPartition(evt.Module, evt.RecordId);
        var now = time.GetUtcNow();

        // The snapshot follows occurredAt; an event without one happened when it arrived.
        if (evt.OccurredAt == default)
        {
            evt = evt with { OccurredAt = now };
        }

        var row = new EventRow(evt, EventStates.Pending, now, null, null, default);
        var json = JsonSerializer.SerializeToUtf8Bytes(evt, EngineJson.Options);
        if (EventBlobs.IsLarge(json))
        {
            // The blob first: a row never points at a blob that was not written. A duplicate rewrites the same blob
            // with the same event (an id names one event), which is harmless.
            row = row with { BlobName = await EventBlobs.StoreAsync(storage.Records, partition, evt, json, cancellationToken) };
        }

        var message = new EventMessage(evt.Module, evt.RecordId, evt.Id).ToJson();
        try
        {
            await storage.Records.AddEntityAsync(row.ToEntity(partition), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var seen = await storage.Records.GetEntityIfExistsAsync<TableEntity>(
                partition, Keys.EventRow(evt.Id), ["State"], cancellationToken);
            if (seen.HasValue && seen.Value!.GetString("State") == EventStates.Pending)
            {
                await storage.Events.SendMessageAsync(message, TimeSpan.Zero, NeverExpires, cancellationToken);
                Logs.DuplicateRequeued(logger, evt.Id);
            }
            else
            {
                Logs.DuplicateEvent(logger, evt.Id);
            }

            return false;
        }

        await storage.Events.SendMessageAsync(message, TimeSpan.Zero, NeverExpires, cancellationToken);
        Logs.EventAccepted(logger, evt.Id, evt.Type, evt.Module);
        return true;
    }
}
