using System.Net;
using System.Text.Json.Nodes;
using Automation.Runtime.Actions;
using Automation.Runtime.Crm;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication.Email;

/// <summary>
/// Tells a draft's owner that it waits for them: an in-app notification (<see cref="NotificationStore"/>) linking to the
/// draft's page, and, with <see cref="EmailOptions.DraftOwnerEmails"/> on, an email to the owner's address as the teams
/// configuration knows it, or else as the record's CRM does (<see cref="CrmOwners"/>). Keyed by run and step (the notification row, the email's message id), so the step's next
/// attempt after a crash tells them again in the same words instead of twice.
/// </summary>
public sealed class DraftNotices(NotificationStore notifications, TeamDirectory teams, CrmOwners owners, EmailDelivery delivery, IOptions<EmailOptions> options)
{
    /// <summary>What was done, for the step's output: <c>{ ownerId, notificationId, emailedTo?, email? }</c>; null when the draft has no owner.</summary>
    public async Task<JsonObject?> NotifyAsync(ActionContext context, Draft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.OwnerId is not { Length: > 0 } ownerId)
        {
            return null;
        }

        var link = LinkTo(draft);
        var title = $"Draft to review: {draft.Content.Subject}";
        var body = $"An email to {string.Join(", ", draft.Content.To)} waits for your approval"
            + (draft.ExpiresAt is { } expires ? $" until {expires:yyyy-MM-dd HH:mm} UTC." : ".");
        var stored = await notifications.AddAsync(
            Notification.FromStep(context, ownerId, title) with { Body = body, Link = link },
            context.Run.CreatedAt,
            context.Run.RunId + "\n" + context.Step.Id + "\ndraft",
            cancellationToken);
        var told = new JsonObject { ["ownerId"] = ownerId, ["notificationId"] = stored.Id };
        if (!options.Value.DraftOwnerEmails)
        {
            return told;
        }

        var record = context.Scope.Record is { ValueKind: System.Text.Json.JsonValueKind.Object } r ? JsonNode.Parse(r.GetRawText()) as JsonObject : null;
        var address = teams.EmailOfUser(ownerId) ?? (await owners.OfRecordAsync(context.Run.Module, record, ownerId, cancellationToken))?.Email;
        if (address is null)
        {
            told["email"] = $"not sent: no team member has the id '{ownerId}' and an email address, and no CRM knows one for them.";
            return told;
        }

        var email = new EmailContent
        {
            From = options.Value.From,
            To = [address],
            Subject = title,
            Text = $"{body}\n\nReview, edit, approve or discard it: {link}\n",
            Html = $"<p>{WebUtility.HtmlEncode(body)}</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">Review the draft</a> to edit, approve or discard it.</p>",
            Track = false,
        };
        var sender = EmailSender.For(context, measured: false) with { StepId = context.Step.Id + "/draft-notice" };
        var sent = await delivery.DeliverAsync(email, sender, extra: null, cancellationToken);
        told["emailedTo"] = address;
        if (!sent.Succeeded)
        {
            // The draft is what matters: a notice that could not go out is said, not retried at the draft's expense.
            told["email"] = "not sent: " + (sent.Failure?.Message ?? sent.SkipReason);
        }

        return told;
    }

    /// <summary>The draft's page in the dashboard: absolute on the service's public URL when it is configured.</summary>
    private string LinkTo(Draft draft)
    {
        var path = "/drafts/" + Uri.EscapeDataString(draft.DraftId);
        return options.Value.TrackingBaseUrl is { } baseUrl ? new Uri(baseUrl, path).ToString() : path;
    }
}
