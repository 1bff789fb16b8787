using Automation.Engine.Runs;

namespace Automation.Engine.Tests.Runs;

public class WorkflowReportsTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ReportRun Run(RunStatus status, double startHours, double? endHours, int cursor) =>
        new(status, Day1.AddHours(startHours), endHours is { } e ? Day1.AddHours(e) : null, cursor);

    [Fact]
    public void Runs_are_counted_when_they_start_and_by_how_they_end_in_the_bucket_they_end_in()
    {
        ReportRun[] runs =
        [
            Run(RunStatus.Succeeded, 1, 2, 3),
            Run(RunStatus.Failed, 5, 26, 1),
            Run(RunStatus.Waiting, 30, null, 2),
            Run(RunStatus.Skipped, 31, 31, 0),
            Run(RunStatus.Exited, -5, 3, 1),   // started before the range: counted as ended, not as started
        ];

        var report = WorkflowReports.Build(["a", "b", "c"], runs, [], Day1, Day1.AddDays(3), "day");

        Assert.Equal([Day1, Day1.AddDays(1), Day1.AddDays(2)], report.Buckets.Select(b => b.Start));
        Assert.Equal([2, 2, 0], report.Buckets.Select(b => b.Started));
        Assert.Equal([1, 0, 0], report.Buckets.Select(b => b.Succeeded));
        Assert.Equal([0, 1, 0], report.Buckets.Select(b => b.Failed));
        Assert.Equal([0, 1, 0], report.Buckets.Select(b => b.Skipped));
        Assert.Equal([1, 0, 0], report.Buckets.Select(b => b.Exited));
        Assert.Equal(4, report.Totals.Started);
    }

    [Fact]
    public void The_funnel_says_how_far_the_runs_started_in_the_range_got()
    {
        ReportRun[] runs =
        [
            Run(RunStatus.Succeeded, 1, 2, 3),
            Run(RunStatus.Failed, 2, 3, 1),
            Run(RunStatus.Waiting, 3, null, 2),
            Run(RunStatus.Exited, 4, 5, 0),
            Run(RunStatus.Skipped, 4, 4, 0),
        ];

        var funnel = WorkflowReports.Build(["a", "b", "c"], runs, [], Day1, Day1.AddDays(1), "day").Funnel;

        Assert.Equal(["a", "b", "c"], funnel.Select(f => f.StepId));
        Assert.Equal([4, 3, 2], funnel.Select(f => f.Reached));
        Assert.Equal([3, 2, 1], funnel.Select(f => f.Passed));
        Assert.Equal([0, 1, 0], funnel.Select(f => f.Failed));
        Assert.Equal([1, 0, 0], funnel.Select(f => f.Exited));
        Assert.Equal([0, 0, 1], funnel.Select(f => f.Waiting));
    }

    [Fact]
    public void Emails_are_counted_per_bucket_and_per_step_in_step_order()
    {
        ReportEmail[] emails =
        [
            new("sent", "welcome", Day1.AddHours(1)), new("sent", "follow-up", Day1.AddHours(1.5)), new("opened", "welcome", Day1.AddHours(2.2)),
            new("clicked", "welcome", Day1.AddHours(2.5)), new("unsubscribed", "follow-up", Day1.AddHours(9)), new("sent", "welcome", Day1.AddDays(-1)),
        ];

        var report = WorkflowReports.Build(["welcome", "follow-up"], [], emails, Day1, Day1.AddHours(3), "hour");

        Assert.Equal([0, 2, 2], report.Buckets.Select(b => b.Sent + b.Opened + b.Clicked));
        Assert.Equal(["welcome", "follow-up"], report.Emails.Select(e => e.StepId));
        Assert.Equal((1, 1, 1, 0), (report.Emails[0].Sent, report.Emails[0].Opened, report.Emails[0].Clicked, report.Emails[0].Unsubscribed));
        Assert.Equal(0, report.Emails[1].Unsubscribed);
    }

    [Theory]
    [InlineData("2026-12-03T15:20:00Z", "hour", "2026-12-03T15:00:00Z")]
    [InlineData("2026-12-03T15:20:00Z", "day", "2026-12-03T00:00:00Z")]
    [InlineData("2026-12-06T15:20:00Z", "week", "2026-11-30T00:00:00Z")]
    [InlineData("2026-11-30T00:00:00Z", "week", "2026-11-30T00:00:00Z")]
    public void Buckets_start_on_the_hour_the_day_or_monday(string at, string bucket, string start)
    {
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), WorkflowReports.Floor(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), bucket));
    }
}
