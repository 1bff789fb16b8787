namespace Automation.Engine.Runs;

/// <summary>A run as a report counts it: when it started and ended, how it ended, and the step it was at.</summary>
public sealed record ReportRun(RunStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, int Cursor);

/// <summary>One email event: <c>sent</c>, <c>opened</c>, <c>clicked</c> or <c>unsubscribed</c>, of a step, at a time.</summary>
public sealed record ReportEmail(string Metric, string StepId, DateTimeOffset At);

/// <summary>One bucket of a report: runs started in it, runs that ended in it by how, and email events in it.</summary>
public sealed record ReportBucket(
    DateTimeOffset Start, int Started, int Succeeded, int Failed, int Skipped, int Exited, int Cancelled,
    int Sent, int Opened, int Clicked, int Unsubscribed);

/// <summary>How far the runs started in the range got: per step, how many reached it, passed it, failed or exited there, or wait there now.</summary>
public sealed record FunnelStep(string StepId, int Reached, int Passed, int Failed, int Exited, int Waiting);

/// <summary>A step's emails in the range.</summary>
public sealed record EmailStep(string StepId, int Sent, int Opened, int Clicked, int Unsubscribed);

/// <summary>A workflow's report over a range, in buckets of an hour, a day or a week (UTC; weeks start on Monday).</summary>
public sealed record WorkflowReport(
    DateTimeOffset From, DateTimeOffset To, string Bucket, IReadOnlyList<ReportBucket> Buckets, IReadOnlyList<FunnelStep> Funnel,
    IReadOnlyList<EmailStep> Emails, ReportBucket Totals);

/// <summary>Builds workflow reports from runs and email events; no I/O.</summary>
public static class WorkflowReports
{
    public static readonly IReadOnlyList<string> Buckets = ["hour", "day", "week"];

    /// <summary>At most this many buckets in one report (a year of days, two weeks of hours).</summary>
    public const int MaxBuckets = 400;

    /// <summary>The start of the bucket <paramref name="at"/> falls in.</summary>
    public static DateTimeOffset Floor(DateTimeOffset at, string bucket)
    {
        var utc = at.ToUniversalTime();
        var day = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        return bucket switch
        {
            "hour" => day.AddHours(utc.Hour),
            "week" => day.AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            _ => day,
        };
    }

    public static DateTimeOffset Next(DateTimeOffset start, string bucket) => bucket switch
    {
        "hour" => start.AddHours(1),
        "week" => start.AddDays(7),
        _ => start.AddDays(1),
    };

    /// <summary>How many buckets the range spans; the API refuses a range of more than <see cref="MaxBuckets"/>.</summary>
    public static int Count(DateTimeOffset from, DateTimeOffset to, string bucket)
    {
        var n = 0;
        for (var b = Floor(from, bucket); b < to && n <= MaxBuckets; b = Next(b, bucket))
        {
            n++;
        }

        return n;
    }

    public static WorkflowReport Build(
        IReadOnlyList<string> stepIds, IEnumerable<ReportRun> runs, IEnumerable<ReportEmail> emails, DateTimeOffset from, DateTimeOffset to, string bucket)
    {
        ArgumentNullException.ThrowIfNull(stepIds);
        var starts = new List<DateTimeOffset>();
        for (var b = Floor(from, bucket); b < to && starts.Count < MaxBuckets; b = Next(b, bucket))
        {
            starts.Add(b);
        }

        var rows = starts.Select(_ => new int[10]).ToArray();
        int? Index(DateTimeOffset at)
        {
            if (at < from || at >= to || starts.Count == 0)
            {
                return null;
            }

            var i = starts.BinarySearch(Floor(at, bucket));
            return i >= 0 ? i : null;
        }

        var funnel = stepIds.Select(_ => new int[5]).ToArray();
        foreach (var run in runs)
        {
            if (Index(run.CreatedAt) is { } started)
            {
                rows[started][0]++;
                Funnel(funnel, run, stepIds.Count);
            }

            var column = run.Status switch
            {
                RunStatus.Succeeded => 1,
                RunStatus.Failed => 2,
                RunStatus.Skipped => 3,
                RunStatus.Exited => 4,
                RunStatus.Cancelled => 5,
                _ => -1,
            };
            if (column > 0 && Index(run.EndedAt ?? run.CreatedAt) is { } ended)
            {
                rows[ended][column]++;
            }
        }

        var byStep = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var email in emails)
        {
            var column = email.Metric switch { "sent" => 6, "opened" => 7, "clicked" => 8, "unsubscribed" => 9, _ => -1 };
            if (column < 0 || Index(email.At) is not { } at)
            {
                continue;
            }

            rows[at][column]++;
            if (!byStep.TryGetValue(email.StepId, out var counts))
            {
                byStep[email.StepId] = counts = new int[4];
            }

            counts[column - 6]++;
        }

        var buckets = starts.Select((s, i) => Bucket(s, rows[i])).ToList();
        var totals = Bucket(from, Enumerable.Range(0, 10).Select(c => rows.Sum(r => r[c])).ToArray());
        var steps = stepIds.Select((id, i) => new FunnelStep(id, funnel[i][0], funnel[i][1], funnel[i][2], funnel[i][3], funnel[i][4])).ToList();
        var order = stepIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var emailSteps = byStep.OrderBy(kv => order.GetValueOrDefault(kv.Key, int.MaxValue)).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new EmailStep(kv.Key, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3])).ToList();
        return new WorkflowReport(from, to, bucket, buckets, steps, emailSteps, totals);
    }

    /// <summary>
    /// A run reached every step up to its cursor and passed those before it; a succeeded run passed them all. A failed or
    /// exited run did so at its cursor's step; a running or waiting one is there now. Skipped runs reached no step.
    /// </summary>
    private static void Funnel(int[][] funnel, ReportRun run, int steps)
    {
        if (run.Status == RunStatus.Skipped || steps == 0)
        {
            return;
        }

        var at = Math.Clamp(run.Cursor, 0, steps);
        var passed = run.Status == RunStatus.Succeeded ? steps : at;
        for (var i = 0; i < Math.Min(steps, Math.Max(passed, at + 1)); i++)
        {
            funnel[i][0]++;
            if (i < passed)
            {
                funnel[i][1]++;
            }
        }

        if (run.Status != RunStatus.Succeeded && at < steps)
        {
            var column = run.Status switch { RunStatus.Failed => 2, RunStatus.Exited => 3, RunStatus.Running or RunStatus.Waiting => 4, _ => -1 };
            if (column > 0)
            {
                funnel[at][column]++;
            }
        }
    }

    private static ReportBucket Bucket(DateTimeOffset start, int[] c) => new(start, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9]);
}
