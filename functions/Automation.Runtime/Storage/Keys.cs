using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Runtime.Storage;

/// <summary>
/// Partition and row keys (see docs/storage.md). A record's partition key is a hash of module and record id, so any
/// record id fits and partitions spread evenly; a run id starts with its record's partition key, so a run is found
/// from its id alone.
/// </summary>
public static partial class Keys
{
    public const string Snapshot = "snapshot";
    public const string EventPrefix = "evt|";
    public const string EnrollmentPrefix = "enr|";
    public const string RunPrefix = "run|";
    public const string LogPrefix = "log|";
    public const string NotePrefix = "note|";
    public const string DocumentPrefix = "doc|";
    public const string CrmWritePrefix = "crm|";

    /// <summary>The record's segment membership: the ids of the segments it is in (see <c>Records/SegmentMembershipRow</c>).</summary>
    public const string Segments = "segments";

    /// <summary>
    /// The column of the <see cref="Segments"/> row that marks the record a member of segment <paramref name="segmentId"/>
    /// (<c>S_hot_leads</c>): a segment's members are then one filtered query. Segment ids hold no underscore, so the
    /// mapping of '-' to '_' keeps them apart.
    /// </summary>
    public static string SegmentColumn(string segmentId) => "S_" + segmentId.Replace('-', '_');

    /// <summary>20 hex characters (80 bits) of SHA-256 over the lowercased module and the record id.</summary>
    public static string RecordPartition(string module, string recordId)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(recordId);
        return Hex(module.ToLowerInvariant() + "\n" + recordId, 10);
    }

    /// <summary>
    /// The run of <paramref name="workflowId"/> started by event <paramref name="eventId"/> on the record: deterministic,
    /// so that processing the same event again finds the run it created instead of starting another.
    /// </summary>
    public static string RunId(string recordPartition, string eventId, string workflowId) =>
        recordPartition + "-" + Hex(eventId + "\n" + workflowId, 6);

    public static bool TryParseRunId(string? runId, out string recordPartition)
    {
        recordPartition = "";
        if (runId is null || !RunIdPattern().IsMatch(runId))
        {
            return false;
        }

        recordPartition = runId[..20];
        return true;
    }

    public static string EventRow(string eventId) => EventPrefix + Escape(eventId);

    public static string EnrollmentRow(string workflowId) => EnrollmentPrefix + workflowId;

    public static string RunRow(string runId) => RunPrefix + runId;

    public static string LogRow(string runId, int sequence) =>
        LogPrefix + runId + "|" + sequence.ToString("D6", CultureInfo.InvariantCulture);

    public static string LogRangeStart(string runId) => LogPrefix + runId + "|";

    public static string NoteRow(string runId, string eventId) => NotePrefix + runId + "|" + Escape(eventId);

    public static string NoteRangeStart(string runId) => NotePrefix + runId + "|";

    /// <summary>A document attached to the record (its content is a blob; see <c>Documents/DocumentStore</c>).</summary>
    /// <summary>What a CRM was asked to create for a change, and what it created (see <c>CrmJournal</c>).</summary>
    public static string CrmWriteRow(string changeId) => CrmWritePrefix + Escape(changeId);

    public static string DocumentRow(string documentId) => DocumentPrefix + Escape(documentId);

    /// <summary>
    /// The round-robin turn counters of a team (in the records table, apart from every record: record partitions are
    /// 20 hex characters, these start with <c>rr|</c>). One row per stripe, so concurrent assignments rarely meet.
    /// </summary>
    public static string RoundRobinPartition(string team) => "rr|" + Escape(team.Trim().ToLowerInvariant());

    /// <summary>A short stable id derived from a longer one (12 hex characters of SHA-256).</summary>
    public static string ShortHash(string text) => Hex(text, 6);

    /// <summary>The end of a prefix range: '|' is followed by '}' in ordinal order.</summary>
    public static string RangeEnd(string prefixEndingWithBar) => prefixEndingWithBar[..^1] + "}";

    /// <summary>Newest first: row keys sort ascending, so the time is inverted.</summary>
    public static string InvertedTicks(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// Key values may not hold '/', '\', '#', '?' or control characters; those (and '%') become %XX so that two
    /// different ids never share a key.
    /// </summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? sb = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var bad = c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c);
            if (bad)
            {
                sb ??= new StringBuilder(value, 0, i, value.Length + 8);
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb?.Append(c);
            }
        }

        return sb?.ToString() ?? value;
    }

    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    private static string Hex(string text, int bytes) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, bytes));

    [GeneratedRegex("^[0-9a-f]{20}-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex RunIdPattern();
}
