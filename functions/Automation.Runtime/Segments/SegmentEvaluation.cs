using System.Globalization;
using System.Text.Json;
using Automation.Engine.Model;
using Automation.Runtime.Intake;
using Automation.Runtime.Scheduling;

namespace Automation.Runtime.Segments;

/// <summary>
/// What one page of a re-evaluation queued, under which event id (each record's event has it; null when the page was
/// empty), and where the next page starts (null: the module is done).
/// </summary>
public sealed record SegmentEvaluationPage(int Queued, string? EventId, string? ContinuationToken);

/// <summary>
/// Re-evaluates a segment now instead of at each record's next event: one <c>segments.evaluated</c> event per stored
/// record of the module (not deleted), carrying the record as stored, through intake like any event. So membership
/// still moves only in the event processor's batch, with the snapshot's ETag, and entering and leaving start the
/// segment's workflows exactly as a CRM event would. An event is dated at its snapshot's time, so a newer event that
/// comes in between wins and the re-evaluation of that record changes nothing. Records are read a page at a time.
/// </summary>
public sealed class SegmentEvaluation(ModuleRecords records, IntakeService intake, TimeProvider time)
{
    public const int PageSize = 100;

    public async Task<SegmentEvaluationPage> QueueAsync(Segment segment, string? continuationToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var (page, next) = await records.PageAsync(segment.Module, continuationToken, PageSize, cancellationToken);
        if (page.Count == 0)
        {
            return new SegmentEvaluationPage(0, null, next);
        }

        // Event ids are unique per record, so one id serves the whole request; the time makes each request new.
        var id = $"segments:{segment.Id}:{time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture)}";
        var data = JsonSerializer.SerializeToElement(new { segment = segment.Id });
        var events = page.Select(r => new CrmEvent
        {
            Id = id,
            Type = EventTypes.SegmentsEvaluated,
            Module = segment.Module,
            RecordId = r.RecordId,
            OccurredAt = r.UpdatedAt,
            Record = r.Fields,
            Data = data,
        }).ToArray();
        var result = await intake.AcceptAsync(events, cancellationToken);
        return new SegmentEvaluationPage(result.Accepted.Count, id, next);
    }
}
