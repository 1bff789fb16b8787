using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Api.Http;
using Automation.Runtime.Events;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Workflows;
using static Automation.Api.Apis.DashboardSupportApi;

namespace Automation.Api.Apis;

/// <summary>
/// <c>GET /api/events</c>: every event intake answered for, newest first across records, each with whether it was a
/// duplicate and, for each workflow of its module, what became of it. "Came" and "duplicate" are read from the feed's
/// index (written by intake); "what happened" is derived at read time from the record's partition, as the record page
/// does (<see cref="DashboardSupportApi"/>).
/// </summary>
public static class EventsFeedApi
{
    /// <summary>Feed pages read at most to fill one answer when the outcome filter can only be applied after reading.</summary>
    private const int MaxReadsPerAnswer = 3;

    public static IEndpointRouteBuilder MapEventsFeedApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", List)
            .WithTags("events")
            .WithSummary("Events received, newest first, with what became of each")
            .Produces<EventsPage>()
            .ProducesValidationProblem()
            .RequireAuthorization(ApiSetup.AdminPolicy);
        return app;
    }

    private static async Task<IResult> List(
        string? module, string? recordId, string? type, string? outcome, int? limit, string? continuationToken,
        EventFeed feed, RecordStore records, RunQueries runs, WorkflowStore workflows, WorkflowCatalog catalog,
        CancellationToken cancellationToken)
    {
        if (outcome is { Length: > 0 } && !FeedOutcomes.All.Contains(outcome, StringComparer.Ordinal))
        {
            return Problems.Field("outcome", $"Unknown outcome '{outcome}'. Use one of: {string.Join(", ", FeedOutcomes.All)}.");
        }

        // "accepted" and "duplicate" are columns of the index; the others are known only once the event is explained.
        var filter = new EventFeedFilter(
            module, recordId, type,
            outcome switch { FeedOutcomes.Duplicate => true, null or "" => null, _ => false });
        var take = CommandResults.Limit(limit);
        var explainer = new Explainer(records, runs, workflows, catalog);
        var items = new List<FeedEvent>();
        var token = continuationToken;
        try
        {
            for (var reads = 0; reads < MaxReadsPerAnswer && items.Count < take; reads++)
            {
                var (entries, next) = await feed.PageAsync(filter, take - items.Count, token, cancellationToken);
                foreach (var entry in entries)
                {
                    var item = await explainer.ExplainAsync(entry, cancellationToken);
                    if (outcome is not { Length: > 0 } || outcome == FeedOutcomes.Accepted || item.Outcome == outcome)
                    {
                        items.Add(item);
                    }
                }

                token = next;
                if (token is null)
                {
                    break;
                }
            }
        }
        catch (FormatException e)
        {
            return Problems.Field("continuationToken", e.Message);
        }

        return TypedResults.Ok(new EventsPage(items, token));
    }

    /// <summary>Explains feed entries, reading each record's runs and each module's workflows once per answer.</summary>
    private sealed class Explainer(RecordStore records, RunQueries runs, WorkflowStore workflows, WorkflowCatalog catalog)
    {
        private readonly Dictionary<string, IReadOnlyList<Workflow>> byModule = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<(string, string), IReadOnlyList<RunSummary>> byRecord = [];

        public async Task<FeedEvent> ExplainAsync(EventFeedEntry entry, CancellationToken cancellationToken)
        {
            var row = await records.GetEventAsync(entry.Module, entry.RecordId, entry.EventId, cancellationToken);
            if (row is null)
            {
                // The index outlived the record's rows (removed since): say when it came, nothing more is known.
                return FeedEvent.Of(entry, FeedOutcomes.Unknown, null);
            }

            var key = (entry.Module.ToLowerInvariant(), entry.RecordId);
            if (!byRecord.TryGetValue(key, out var recordRuns))
            {
                byRecord[key] = recordRuns = await runs.ListForRecordAsync(entry.Module, entry.RecordId, cancellationToken);
            }

            if (!byModule.TryGetValue(entry.Module, out var candidates))
            {
                byModule[entry.Module] = candidates = await WorkflowsOfModuleAsync(entry.Module, workflows, catalog, cancellationToken);
            }

            var explained = Explain(row, candidates, recordRuns);
            var outcome = entry.Duplicate ? FeedOutcomes.Duplicate
                : !row.Applied ? FeedOutcomes.Pending
                : explained.Workflows.Any(w => w.Outcome == Outcomes.Enrolled) ? FeedOutcomes.Enrolled
                : explained.Workflows.Any(w => w.Outcome == Outcomes.Skipped) ? FeedOutcomes.Skipped
                : FeedOutcomes.NoRun;
            return FeedEvent.Of(entry, outcome, explained);
        }
    }

    /// <summary>An event's outcome in the feed, as <c>?outcome=</c> filters on it.</summary>
    public static class FeedOutcomes
    {
        /// <summary>Not a duplicate (whatever happened next).</summary>
        public const string Accepted = "accepted";

        /// <summary>Its id had been seen: not processed again.</summary>
        public const string Duplicate = "duplicate";

        /// <summary>Accepted, not processed yet.</summary>
        public const string Pending = "pending";

        /// <summary>At least one workflow enrolled the record.</summary>
        public const string Enrolled = "enrolled";

        /// <summary>None enrolled; at least one matched its trigger and left a skipped run (the conditions did not hold).</summary>
        public const string Skipped = "skipped";

        /// <summary>Processed, and no workflow started a run: each workflow says why.</summary>
        public const string NoRun = "noRun";

        /// <summary>The event's own row is gone; only the feed's line is left.</summary>
        public const string Unknown = "unknown";

        public static readonly IReadOnlyList<string> All = [Accepted, Duplicate, Pending, Enrolled, Skipped, NoRun];
    }

    public sealed record EventsPage(IReadOnlyList<FeedEvent> Items, string? ContinuationToken);

    /// <summary>
    /// One delivery of an event. For a duplicate, <see cref="FirstReceivedAt"/> and <see cref="Workflows"/> are those of
    /// the first delivery (what its id already did).
    /// </summary>
    public sealed record FeedEvent(
        string EventId,
        string Type,
        string Module,
        string RecordId,
        DateTimeOffset ReceivedAt,
        DateTimeOffset OccurredAt,
        bool Duplicate,
        string Outcome,
        string? State,
        DateTimeOffset? FirstReceivedAt,
        DateTimeOffset? AppliedAt,
        int? CausationDepth,
        IReadOnlyList<string> ChangedFields,
        IReadOnlyList<WorkflowJudgement> Workflows)
    {
        public static FeedEvent Of(EventFeedEntry e, string outcome, RecordEventExplanation? x) => new(
            e.EventId, e.Type, e.Module, e.RecordId, e.ReceivedAt, e.OccurredAt, e.Duplicate, outcome,
            x?.State, x?.ReceivedAt, x?.AppliedAt, x?.CausationDepth, x?.ChangedFields ?? [], x?.Workflows ?? []);
    }
}
