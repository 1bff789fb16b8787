using System.Globalization;
using System.Text.Json.Nodes;
using Automation.Engine.Runs;

namespace Automation.Runtime.Crm;

/// <summary>
/// What a CRM did with one change: the CRM, the type and id there of the object written (created or updated), the
/// status it answered; or why it failed, in the CRM's own words.
/// </summary>
public sealed record CrmWrite(string Crm, string? ObjectType, string? Id, int? Status, StepFailure? Failure)
{
    /// <summary>The CRM answered and refused (a 4xx other than 408 and 429): nothing was written, trying again changes nothing.</summary>
    public bool Refused => Failure is not null && Status is >= 400 and < 500 and not 408 and not 429;

    public static CrmWrite Written(string crm, string objectType, string id, int status) => new(crm, objectType, id, status, null);

    public static CrmWrite Failed(string crm, string? objectType, int? status, string message, bool retryable, TimeSpan? retryAfter = null) =>
        new(crm, objectType, null, status, new StepFailure(message, retryable, retryAfter));

    /// <summary>A failure from an answer: 408, 429 and 5xx may be retried, any other status is final.</summary>
    public static CrmWrite Answered(string crm, string? objectType, int status, string what, string? detail, TimeSpan? retryAfter) =>
        Failed(crm, objectType, status, string.Create(CultureInfo.InvariantCulture, $"{Named(crm)} answered {status} {what}{(detail is null ? "" : ": " + detail)}."),
            status is 408 or 429 or >= 500, retryAfter);

    /// <summary><c>{ crm, objectType, id, status }</c> for the step output: the dashboard shows it on the step.</summary>
    public JsonObject Output() => new() { ["crm"] = Crm, ["objectType"] = ObjectType, ["id"] = Id, ["status"] = Status };

    public static string Named(string crm) => crm switch
    {
        CrmRecord.HubSpot => "HubSpot",
        CrmRecord.Salesforce => "Salesforce",
        _ => crm,
    };
}

/// <summary>A CRM records are written back to: updates of its records, and records created in it linked to one of them.</summary>
public interface ICrmConnector
{
    /// <summary><see cref="CrmRecord.HubSpot"/> or <see cref="CrmRecord.Salesforce"/>.</summary>
    string Name { get; }

    /// <summary>Credentials are configured; records of an unconfigured CRM go to the generic write-back, if any.</summary>
    bool Configured { get; }

    /// <summary>Sets <paramref name="fields"/> (our names) on the record.</summary>
    Task<CrmWrite> UpdateAsync(CrmRecord record, JsonObject fields, CancellationToken cancellationToken);

    /// <summary>Creates a record of our <paramref name="module"/> with <paramref name="fields"/>, linked to <paramref name="parent"/>.</summary>
    Task<CrmWrite> CreateAsync(CrmRecord parent, string module, JsonObject fields, string changeId, CancellationToken cancellationToken);

    /// <summary>
    /// After an attempt whose outcome is unknown (it timed out, or the process died before the answer was kept): the
    /// record that attempt created, if the CRM has one linked to <paramref name="parent"/>, made since <paramref name="since"/>.
    /// </summary>
    Task<CrmWrite?> FindCreatedAsync(CrmRecord parent, string module, JsonObject fields, DateTimeOffset since, CancellationToken cancellationToken);
}
