namespace Automation.Runtime.Events;

/// <summary><c>Automation:Events</c>: the shape of the events feed's index (docs/storage.md, "Events feed").</summary>
public sealed class EventFeedOptions
{
    public const string Section = "Automation:Events";

    /// <summary>
    /// Partitions per day. Each intake request writes its rows to one of them, picked at random, so a busy day's writes
    /// spread over this many partitions; a read merges them.
    /// </summary>
    public int FeedShards { get; set; } = 4;

    /// <summary>How far back the feed looks: older index rows are not read.</summary>
    public int FeedDays { get; set; } = 30;

    /// <summary>Days a single page may walk through before answering (a short page with a token) so a rare filter stays fast.</summary>
    public int FeedDaysPerPage { get; set; } = 7;
}
