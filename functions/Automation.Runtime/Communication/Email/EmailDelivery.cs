using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Runtime.Actions;
using Automation.Runtime.Communication.Email.Mailboxes;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Automation.Runtime.Communication.Email;

/// <summary>Who sends an email, for its message id, tracking links and counts.</summary>
/// <param name="WorkflowId">Counts are kept per workflow.</param>
/// <param name="StepId">And per step.</param>
/// <param name="RunId">The run that sends.</param>
/// <param name="Module">The record's module (unsubscribe opts this record out).</param>
/// <param name="RecordId">The record's id.</param>
/// <param name="Measured">Tracked, counted and unsubscribable: an email to a contact, not a note to a team.</param>
public sealed record EmailSender(string WorkflowId, string StepId, string RunId, string Module, string RecordId, bool Measured)
{
    public static EmailSender For(ActionContext context, bool measured)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new(context.Run.WorkflowId, context.Step.Id, context.Run.RunId, context.Run.Module, context.Run.RecordId, measured);
    }
}

/// <summary>
/// Sends an <see cref="EmailContent"/>: adds the unsubscribe link and headers (RFC 8058 one-click) when it is addressed
/// to the record, turns links into click redirects and adds the open pixel when tracked, resolves attachments, sends
/// over SMTP and counts it as sent. The message id is derived from run and step, so every attempt of a step sends the
/// same message (a relay or mailbox can drop a repeat) and counts once.
/// </summary>
public sealed class EmailDelivery(
    SmtpSender smtp, OwnerMailboxes mailboxes, EmailTracking tracking, EmailStats stats,
    AttachmentResolver attachments, ILogger<EmailDelivery> logger)
{
    public async Task<ActionResult> DeliverAsync(EmailContent content, EmailSender sender, JsonObject? extra, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(sender);
        var messageId = MessageId(sender, content.From);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["X-Automation-Workflow"] = sender.WorkflowId,
            ["X-Automation-Run"] = sender.RunId,
        };
        string? unsubscribeUrl = null;
        var tracked = false;
        if (sender.Measured && tracking.Enabled)
        {
            var claims = new TrackingClaims(sender.WorkflowId, sender.StepId, sender.RunId, sender.Module, sender.RecordId, messageId, ContactGate.Bare(content.To[0]));
            if (content.ToRecord)
            {
                unsubscribeUrl = tracking.Url(EmailTracking.UnsubscribePath, await tracking.TokenAsync(claims, cancellationToken));
                headers["List-Unsubscribe"] = $"<{unsubscribeUrl}>";
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
                content = WithUnsubscribeLink(content, unsubscribeUrl);
            }

            if (content.Track && content.Html is not null)
            {
                content = content with { Html = await tracking.InstrumentAsync(content.Html, claims, cancellationToken) };
                tracked = true;
            }
        }

        var output = new JsonObject
        {
            ["messageId"] = messageId,
            ["from"] = content.From,
            ["to"] = Array(content.To),
            ["subject"] = content.Subject,
        };
        if (content.Cc.Count > 0)
        {
            output["cc"] = Array(content.Cc);
        }

        if (content.Bcc.Count > 0)
        {
            output["bcc"] = Array(content.Bcc);
        }

        if (content.TemplateId is not null)
        {
            output["templateId"] = content.TemplateId;
            output["templateVersion"] = content.TemplateVersion;
        }

        output["tracked"] = tracked;
        if (unsubscribeUrl is not null)
        {
            output["unsubscribeUrl"] = unsubscribeUrl;
        }

        foreach (var (key, value) in extra ?? [])
        {
            output[key] = value?.DeepClone();
        }

        var (files, problem) = await attachments.ResolveAsync(content.Attachments, sender.Module, sender.RecordId, cancellationToken);
        if (problem is not null)
        {
            return ActionResult.Fail(Json(output), problem.Message, problem.Retryable);
        }

        if (files.Count > 0)
        {
            output["attachments"] = Array(files.Select(f => f.Name));
        }

        var message = SmtpSender.Build(new OutgoingEmail(content, messageId, files, headers));
        SmtpOutcome outcome;
        if (content.Via is { } via && content.MailboxOwner is { } owner)
        {
            output["via"] = via;
            output["mailboxOwner"] = owner;
            outcome = await mailboxes.SendAsync(owner, via, message, cancellationToken);
            output["mailbox"] = outcome.Response;
        }
        else
        {
            outcome = await smtp.SendAsync(message, cancellationToken);
            output["smtp"] = outcome.Response;
        }

        if (!outcome.Accepted)
        {
            return ActionResult.Fail(Json(output), outcome.Response, outcome.Retryable);
        }

        if (sender.Measured)
        {
            try
            {
                await stats.CountAsync(sender.WorkflowId, sender.StepId, EmailMetric.Sent, messageId, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The email went; failing the step now would send it again. The count is what is lost.
                CommunicationLogs.CountFailed(logger, e, sender.WorkflowId, sender.StepId);
            }
        }

        return ActionResult.Success(Json(output));
    }

    /// <summary><c>{32 hex of SHA-256(run, step)}@{sender's domain}</c>: the same for every attempt of the step.</summary>
    public static string MessageId(EmailSender sender, string from)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var domain = MailboxAddress.TryParse(from, out var mailbox) && mailbox.Domain.Length > 0 ? mailbox.Domain : "automation.local";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sender.RunId + "\n" + sender.StepId)).AsSpan(0, 16));
        return hash + "@" + domain;
    }

    private static EmailContent WithUnsubscribeLink(EmailContent content, string url)
    {
        var html = content.Html;
        if (html is not null)
        {
            var footer = $"<p style=\"font-size:12px;color:#777\"><a href=\"{WebUtility.HtmlEncode(url)}\">Unsubscribe</a></p>";
            var body = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
            html = body >= 0 ? html.Insert(body, footer) : html + footer;
        }

        var text = content.Text is null ? null : content.Text.TrimEnd() + "\n\n--\nUnsubscribe: " + url + "\n";
        return content with { Html = html, Text = text };
    }

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

    private static JsonElement Json(JsonObject value) => JsonSerializer.SerializeToElement(value, EngineJson.Options);
}
