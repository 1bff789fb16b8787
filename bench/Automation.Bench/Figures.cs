namespace Automation.Bench;

/// <summary>Everything the summary compares: our runs' phases, the baseline's, idle traffic, the kills, memory.</summary>
public sealed record Figures(
    PhaseResult Burst5,
    PhaseResult Burst1,
    PhaseResult Rate5,
    PhaseResult Delay5,
    PhaseResult Sparse5,
    PhaseResult Base5,
    PhaseResult Base1,
    PhaseResult BaseDelay5,
    double IdlePerSecond,
    double IdleHubPerSecond)
{
    public IReadOnlyList<ResumeResult> Resumes { get; init; } = [];

    /// <summary>Of the whole bench process: host, its Durable worker, receiver and load generator.</summary>
    public long PeakRss { get; init; }

    public long RepeatedKeys { get; init; }
}
