using Automation.Api.Http;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Documents;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;
using Automation.Runtime.Segments;

namespace Automation.Api.Apis;

/// <summary>Stored record snapshots with their runs and documents, and the dead letters (what failed outside any run).</summary>
public static class RecordsApi
{
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/records/{module}/{recordId}", async (string module, string recordId, RecordStore records, RunQueries runs, DocumentStore documents, SegmentStore segments, CancellationToken ct) =>
            {
                var snapshot = await records.GetAsync(module, recordId, ct);
                if (snapshot is null)
                {
                    return Problems.NotFound($"No {module} '{recordId}' has been seen yet.");
                }

                return TypedResults.Ok(new RecordAnswer(
                    snapshot,
                    await runs.ListForRecordAsync(module, recordId, ct),
                    await documents.ListAsync(module, recordId, ct),
                    await SegmentsOfAsync(module, recordId, records, segments, ct)));
            })
            .WithTags("records")
            .RequireAuthorization(ApiSetup.AdminPolicy);

        app.MapGet("/api/records/{module}/{recordId}/documents/{documentId}", async (string module, string recordId, string documentId, DocumentStore documents, CancellationToken ct) =>
            {
                var document = await documents.OpenAsync(module, recordId, documentId, ct);
                return document is null
                    ? Problems.NotFound($"{module} '{recordId}' has no document '{documentId}'.")
                    : Results.Stream(document.Content, document.Info.ContentType, document.Info.Name);
            })
            .WithTags("records")
            .RequireAuthorization(ApiSetup.AdminPolicy);

        app.MapGet("/api/dead-letters", async (int? limit, string? continuationToken, DeadLetterStore store, CancellationToken ct) =>
                TypedResults.Ok(await store.ListAsync(CommandResults.Limit(limit), continuationToken, ct)))
            .WithTags("dead letters")
            .RequireAuthorization(ApiSetup.AdminPolicy);
        return app;
    }

    /// <summary>The segments the record is in as its last event left it, by name; a segment deleted since is left out.</summary>
    private static async Task<IReadOnlyList<SegmentRef>> SegmentsOfAsync(
        string module, string recordId, RecordStore records, SegmentStore segments, CancellationToken cancellationToken)
    {
        var ids = await records.GetSegmentsAsync(module, recordId, cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var known = await segments.ListAsync(module, cancellationToken);
        return known.Where(s => ids.Contains(s.Id!, StringComparer.Ordinal)).Select(s => new SegmentRef(s.Id!, s.Name)).ToList();
    }

    public sealed record RecordAnswer(
        Engine.Model.RecordSnapshot Record, IReadOnlyList<RunSummary> Runs, IReadOnlyList<DocumentInfo> Documents, IReadOnlyList<SegmentRef> Segments);

    /// <summary>A segment the record is in: its id (for the link) and name.</summary>
    public sealed record SegmentRef(string Id, string Name);
}
