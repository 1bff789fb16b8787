using System.Text;

namespace Automation.Runtime.Storage;

/// <summary>
/// Table and queue names derived from <see cref="StorageOptions.Prefix"/>. Table names must be alphanumeric and start
/// with a letter (3 to 63 characters); queue names lowercase letters, digits and single dashes (3 to 63). One prefix
/// maps to both, so that several instances or test runs can share an account.
/// </summary>
public sealed class StorageNames
{
    public StorageNames(string prefix)
    {
        TablePrefix = ForTables(prefix);
        QueuePrefix = ForQueues(prefix);
        WorkflowsTable = TablePrefix + "Workflows";
        RecordsTable = TablePrefix + "Records";
        RunIndexTable = TablePrefix + "RunIndex";
        DeadLettersTable = TablePrefix + "DeadLetters";
        EventFeedTable = TablePrefix + "EventFeed";
        EventsQueue = QueuePrefix + "-events";
        DocumentsContainer = (QueuePrefix.Length > 63 - 10 ? QueuePrefix[..(63 - 10)].TrimEnd('-') : QueuePrefix) + "-documents";
        EventsContainer = (QueuePrefix.Length > 63 - 7 ? QueuePrefix[..(63 - 7)].TrimEnd('-') : QueuePrefix) + "-events";
    }

    public string TablePrefix { get; }

    public string QueuePrefix { get; }

    public string WorkflowsTable { get; }

    /// <summary>Record partitions: snapshot, events seen, enrollments, runs and their step logs (see docs/storage.md).</summary>
    public string RecordsTable { get; }

    public string RunIndexTable { get; }

    public string DeadLettersTable { get; }

    /// <summary>The events feed's index: every event intake answered for, by day, newest first (see docs/storage.md).</summary>
    public string EventFeedTable { get; }

    public string EventsQueue { get; }

    /// <summary>Blob container of documents attached to records (container names follow the queue rules).</summary>
    public string DocumentsContainer { get; }

    /// <summary>Blob container of events too large to keep whole in their table row (see <c>EventBlobs</c>).</summary>
    public string EventsContainer { get; }

    public IReadOnlyList<string> Tables => [WorkflowsTable, RecordsTable, RunIndexTable, DeadLettersTable, EventFeedTable];

    public IReadOnlyList<string> Queues => [EventsQueue];

    /// <summary>Longest suffix we append ("DeadLetters"), so the prefix leaves room for it within 63 characters.</summary>
    private const int MaxTablePrefix = 63 - 11;

    private const int MaxQueuePrefix = 63 - 7;

    public static string ForTables(string prefix)
    {
        var sb = new StringBuilder();
        foreach (var c in prefix ?? "")
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                sb.Append(c);
            }
        }

        if (sb.Length == 0 || !char.IsAsciiLetter(sb[0]))
        {
            sb.Insert(0, 'a');
        }

        return sb.Length > MaxTablePrefix ? sb.ToString(0, MaxTablePrefix) : sb.ToString();
    }

    public static string ForQueues(string prefix)
    {
        var sb = new StringBuilder();
        foreach (var c in (prefix ?? "").ToLowerInvariant())
        {
            var ok = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
            if (ok)
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '-')
            {
                sb.Append('-');
            }
        }

        var text = sb.ToString().Trim('-');
        if (text.Length == 0)
        {
            text = "a";
        }

        if (text.Length > MaxQueuePrefix)
        {
            text = text[..MaxQueuePrefix].TrimEnd('-');
        }

        return text;
    }
}
