using Automation.Engine.Model;
using Automation.Api.Http;
using Automation.Runtime.Records;

namespace Automation.Api.Apis;

/// <summary><c>GET /api/records</c>: stored records, by module and a text found in the id or any field (<see cref="RecordSearch"/>).</summary>
public static class RecordsListApi
{
    public static IEndpointRouteBuilder MapRecordsListApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/records", async (string? module, string? search, int? limit, string? continuationToken, RecordSearch records, CancellationToken ct) =>
            {
                var (items, next) = await records.PageAsync(module, search, CommandResults.Limit(limit), continuationToken, ct);
                return TypedResults.Ok(new RecordsPage(items, next));
            })
            .WithTags("records")
            .WithSummary("Stored records, filtered by module and a text in the id or any field")
            .RequireAuthorization(ApiSetup.AdminPolicy);
        return app;
    }

    public sealed record RecordsPage(IReadOnlyList<RecordSnapshot> Items, string? ContinuationToken);
}
