using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Runtime.Records;
using Automation.Runtime.Storage;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Communication.Email;

/// <summary>
/// What recipients do with an email, from its tracking links: opens and clicks are counted (once per message), a click
/// also counts as an open (pixels are often blocked), and an unsubscribe opts the record out of email.
/// </summary>
public sealed class EmailResponses(
    EmailTracking tracking, EmailStats stats, SuppressionStore suppressions, AutomationStorage storage, ILogger<EmailResponses> logger)
{
    private const int MaxAttempts = 5;

    /// <summary>Counts an open; false when the token is not one of ours.</summary>
    public async Task<bool> OpenedAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await tracking.ReadAsync(token, cancellationToken) is not { } claims)
        {
            return false;
        }

        await stats.CountAsync(claims.WorkflowId, claims.StepId, EmailMetric.Opened, claims.MessageId, cancellationToken);
        return true;
    }

    /// <summary>Counts a click and returns where the link led; null when the token is not a click link of ours.</summary>
    public async Task<Uri?> ClickedAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await tracking.ReadAsync(token, cancellationToken) is not { Url: { } url } claims
            || !Uri.TryCreate(url, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            return null;
        }

        await stats.CountAsync(claims.WorkflowId, claims.StepId, EmailMetric.Clicked, claims.MessageId, cancellationToken);
        await stats.CountAsync(claims.WorkflowId, claims.StepId, EmailMetric.Opened, claims.MessageId, cancellationToken);
        return target;
    }

    /// <summary>
    /// Opts the record out of email: <c>emailOptOut: true</c> on its stored snapshot (with the snapshot's ETag), its
    /// address on the suppression list (which a CRM sending the record back without the flag cannot undo), counted
    /// once per message. Null when the token is not one of ours.
    /// </summary>
    public async Task<TrackingClaims?> UnsubscribeAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await tracking.ReadAsync(token, cancellationToken) is not { Url: null } claims)
        {
            return null;
        }

        await SetOptOutAsync(claims.Module, claims.RecordId, cancellationToken);
        await suppressions.AddAsync(SuppressionKind.Email, claims.Address, "Unsubscribed with the link in an email.", "unsubscribe", cancellationToken);
        await stats.CountAsync(claims.WorkflowId, claims.StepId, EmailMetric.Unsubscribed, claims.MessageId, cancellationToken);
        CommunicationLogs.Unsubscribed(logger, claims.Module, claims.RecordId, claims.Address);
        return claims;
    }

    /// <summary>
    /// Sets the flag on the stored snapshot, keeping its time (the flag is ours, not a newer CRM version of the record,
    /// so events that follow are not judged late because of it).
    /// </summary>
    private async Task SetOptOutAsync(string module, string recordId, CancellationToken cancellationToken)
    {
        var partition = Keys.RecordPartition(module, recordId);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var read = await storage.Records.GetEntityIfExistsAsync<TableEntity>(partition, Keys.Snapshot, cancellationToken: cancellationToken);
            if (!read.HasValue)
            {
                return;
            }

            var row = SnapshotRow.From(read.Value!);
            if (ContactCompliance.IsSet(row.Snapshot.Fields, ContactFields.EmailOptOut))
            {
                return;
            }

            var fields = JsonNode.Parse(row.Snapshot.Fields.GetRawText()) as JsonObject ?? [];
            fields[ContactFields.EmailOptOut] = true;
            var snapshot = row.Snapshot with { Fields = System.Text.Json.JsonSerializer.SerializeToElement(fields, EngineJson.Options) };
            try
            {
                await storage.Records.UpdateEntityAsync(SnapshotRow.ToEntity(partition, snapshot), row.ETag, TableUpdateMode.Replace, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                // The record changed meanwhile (an event): set the flag on that version.
            }
        }
    }
}
