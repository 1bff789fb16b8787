using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Automation.Runtime.Communication;
using Automation.Runtime.Communication.Email;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions.Communication;

/// <summary>
/// <c>notify_team</c>: one email to every member of a configured team (<see cref="TeamDirectory"/>), from the configured
/// sender, untracked. The record's own marks do not apply (the team is not the record); suppressed addresses are left
/// out, and the step is skipped when no member is left. An unknown team is a final failure.
/// </summary>
public sealed class NotifyTeamHandler(TeamDirectory teams, ContactGate gate, EmailDelivery delivery, IOptions<EmailOptions> options) : IActionHandler
{
    public string Type => ActionTypes.NotifyTeam;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        var team = StepParams.Text(p, "team")?.Trim();
        if (team is null)
        {
            return ActionResult.Fail("params.team: it rendered empty.", retryable: false);
        }

        if (teams.EmailsOf(team) is not { } members)
        {
            var known = teams.Names;
            return ActionResult.Fail(
                $"params.team: there is no team '{team}' (configure Automation:Teams:{team}:Members). Teams: {(known.Count == 0 ? "none" : string.Join(", ", known))}.",
                retryable: false);
        }

        if (members.Count == 0)
        {
            return ActionResult.Skip($"Team '{team}' has no member with an email address.");
        }

        var subject = StepParams.Text(p, "subject");
        var body = StepParams.Text(p, "body");
        if (subject is null || body is null)
        {
            return ActionResult.Fail($"params.{(subject is null ? "subject" : "body")}: it rendered empty.", retryable: false);
        }

        var html = EmailBodies.LooksLikeHtml(body) ? body : null;
        var content = new EmailContent
        {
            From = options.Value.From,
            To = members,
            Subject = subject,
            Html = html,
            Text = html is null ? body : EmailBodies.ToText(html),
            Track = false,
        };
        var cleared = await gate.ClearEmailAsync(record: null, content, cancellationToken);
        if (cleared.Content is not { } allowed)
        {
            return ActionResult.Skip(cleared.SkipReason!);
        }

        var extra = new JsonObject { ["team"] = team };
        if (cleared.Removed.Count > 0)
        {
            extra["suppressed"] = new JsonArray(cleared.Removed.Select(a => (JsonNode?)a).ToArray());
        }

        return await delivery.DeliverAsync(allowed, EmailSender.For(context, measured: false), extra, cancellationToken);
    }
}

/// <summary>
/// <c>in_app_notification</c>: a notification stored for the user (<see cref="NotificationStore"/>), listed with
/// <c>GET /api/notifications?userId=</c>. A step repeated after a crash rewrites the same notification.
/// </summary>
public sealed class InAppNotificationHandler(NotificationStore notifications) : IActionHandler
{
    public string Type => ActionTypes.InAppNotification;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        var userId = StepParams.Text(p, "userId")?.Trim();
        var title = StepParams.Text(p, "title")?.Trim();
        if (userId is null || title is null)
        {
            return ActionResult.Fail($"params.{(userId is null ? "userId" : "title")}: it rendered empty.", retryable: false);
        }

        var link = StepParams.Text(p, "link");
        if (link is not null && (!Uri.TryCreate(link.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            return ActionResult.Fail($"params.link: '{link}' is not an http(s) URL.", retryable: false);
        }

        var stored = await notifications.AddAsync(
            Notification.FromStep(context, userId, title) with { Body = StepParams.Text(p, "body"), Link = link?.Trim() },
            context.Run.CreatedAt,
            context.Run.RunId + "\n" + context.Step.Id,
            cancellationToken);
        return ActionResult.Success(JsonSerializer.SerializeToElement(new { notificationId = stored.Id, userId }, EngineJson.Options));
    }
}
