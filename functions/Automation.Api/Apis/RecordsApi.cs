using Automation.Api.Http;
using Automation.Runtime.DeadLetters;
using Automation.Runtime.Documents;
using Automation.Runtime.Records;
using Automation.Runtime.Runs;

namespace Automation.Api.Apis;

/// <summary>Stored record snapshots with their runs and documents, and the dead letters (what failed outside any run).</summary>
public static class RecordsApi
{
    public static IEndpointRouteBuilder MapRecordsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/records/{module}/{recordId}", async (string module, string recordId, RecordStore records, RunQueries runs, DocumentStore documents, CancellationToken ct) =>
            {
                var snapshot = await records.GetAsync(module, recordId, ct);
                if (snapshot is null)
                {
                    return Problems.NotFound($"No {module} '{recordId}' has been seen yet.");
                }

                return TypedResults.Ok(new RecordAnswer(
                    snapshot, await runs.ListForRecordAsync(module, recordId, ct), await documents.ListAsync(module, recordId, ct)));
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

    public sealed record RecordAnswer(Engine.Model.RecordSnapshot Record, IReadOnlyList<RunSummary> Runs, IReadOnlyList<DocumentInfo> Documents);
}
