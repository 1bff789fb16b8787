using System.Globalization;
using Automation.Api.Http;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Runs;
using Automation.Runtime.Storage;
using Automation.Runtime.Workflows;

namespace Automation.Api.Apis;

/// <summary>
/// Reports ("View report"): per workflow, runs started and ended (succeeded, failed, skipped, exited, cancelled) and
/// email sent, opened, clicked and unsubscribed per bucket, the step funnel and each step's emails; and an overview of
/// every workflow over the same range. Ranges default to the last 30 days in days (2 days in hours, 26 weeks in weeks).
/// </summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").WithTags("reports").RequireAuthorization(ApiSetup.AdminPolicy);
        group.MapGet("/workflows", OverviewAsync);
        group.MapGet("/workflows/{id}", WorkflowAsync);
        return app;
    }

    private static async Task<IResult> WorkflowAsync(
        string id, string? from, string? to, string? bucket, WorkflowStore workflows, RunIndex index, EmailStats emails, TimeProvider clock, CancellationToken ct)
    {
        if (Range(from, to, bucket, clock) is not { } range)
        {
            return RangeProblem(from, to, bucket, clock);
        }

        if (await workflows.GetAsync(id, null, ct) is not { } workflow)
        {
            return Problems.NotFound($"Workflow '{id}' does not exist.");
        }

        return TypedResults.Ok(new { workflowId = id, name = workflow.Name, report = await ReportAsync(workflow, range, index, emails, ct) });
    }

    private static async Task<IResult> OverviewAsync(
        string? from, string? to, string? bucket, WorkflowCatalog catalog, RunIndex index, EmailStats emails, TimeProvider clock, CancellationToken ct)
    {
        if (Range(from, to, bucket, clock) is not { } range)
        {
            return RangeProblem(from, to, bucket, clock);
        }

        var items = new List<object>();
        foreach (var workflow in (await catalog.AllAsync(ct)).Where(w => w.Status != WorkflowStatus.Archived).OrderBy(w => w.Name, StringComparer.OrdinalIgnoreCase))
        {
            var report = await ReportAsync(workflow, range, index, emails, ct);
            items.Add(new { workflowId = workflow.Id, name = workflow.Name, status = workflow.Status, totals = report.Totals });
        }

        return TypedResults.Ok(new { range.From, range.To, range.Bucket, items });
    }

    private static async Task<WorkflowReport> ReportAsync(Workflow workflow, (DateTimeOffset From, DateTimeOffset To, string Bucket) range, RunIndex index, EmailStats emails, CancellationToken ct)
    {
        var runs = await index.CreatedBetweenAsync(workflow.Id!, range.From, range.To, ct);
        var events = await emails.EventsAsync(workflow.Id!, range.From, range.To, ct);
        return WorkflowReports.Build(
            workflow.Steps.Select(s => s.Id).ToList(),
            runs.Select(r => new ReportRun(r.Status, r.CreatedAt, r.EndedAt, r.Cursor)),
            events.Select(e => new ReportEmail(EnumNames.Camel(e.Metric), e.StepId, e.At)),
            range.From, range.To, range.Bucket);
    }

    /// <summary>ISO dates or times; <c>to</c> defaults to now, <c>from</c> to 2 days, 30 days or 26 weeks before it (by hour, day or week), <c>bucket</c> to day.</summary>
    private static (DateTimeOffset From, DateTimeOffset To, string Bucket)? Range(string? from, string? to, string? bucket, TimeProvider clock)
    {
        var b = string.IsNullOrWhiteSpace(bucket) ? "day" : bucket.Trim().ToLowerInvariant();
        DateTimeOffset? end = string.IsNullOrWhiteSpace(to) ? clock.GetUtcNow() : Parse(to);
        DateTimeOffset? start = string.IsNullOrWhiteSpace(from) ? end?.AddDays(b switch { "hour" => -2, "week" => -26 * 7, _ => -30 }) : Parse(from);
        if (!WorkflowReports.Buckets.Contains(b) || start is not { } s || end is not { } e || s >= e || WorkflowReports.Count(s, e, b) > WorkflowReports.MaxBuckets)
        {
            return null;
        }

        return (s, e, b);
    }

    private static IResult RangeProblem(string? from, string? to, string? bucket, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var b = string.IsNullOrWhiteSpace(bucket) ? "day" : bucket.Trim().ToLowerInvariant();
        if (!WorkflowReports.Buckets.Contains(b))
        {
            errors["bucket"] = [$"'{bucket}' is not a bucket: hour, day or week."];
        }

        if (!string.IsNullOrWhiteSpace(from) && Parse(from) is null)
        {
            errors["from"] = [$"'{from}' is not a date or time (2026-12-01, or 2026-12-01T09:00:00Z)."];
        }

        if (!string.IsNullOrWhiteSpace(to) && Parse(to) is null)
        {
            errors["to"] = [$"'{to}' is not a date or time (2026-12-31, or 2026-12-31T18:00:00Z)."];
        }

        if (errors.Count == 0)
        {
            errors["from"] = [$"The range must start before it ends and span at most {WorkflowReports.MaxBuckets} buckets of a {b}."];
        }

        return Problems.Validation(errors, "The report's range has errors; nothing was read.");
    }

    private static DateTimeOffset? Parse(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
}
