using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Automation.Runtime.Actions.Records;
using Automation.Runtime.Communication;
using Automation.Runtime.Communication.Email;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Actions.Communication;

/// <summary>
/// <c>send_email</c> over SMTP. Modes:
/// <list type="bullet">
/// <item>none or <c>template</c>: the inline params or the saved template (<c>templateId</c>), rendered on the record, sent now;</item>
/// <item><c>personalized</c>: a language model writes the body from the record and the step's body (the brief) in the
/// <c>brandVoice</c>; the prompt and answer go into the step log;</item>
/// <item><c>draft</c>: the rendered email waits in the outbox for its owner; the run waits for the decision (at most
/// <c>approvalTimeoutHours</c>, then <c>onApprovalTimeout</c>: skip, the default, or fail), then sends the approved
/// (perhaps edited) email, or moves on if it was discarded. The record's owner is told of the draft (<see cref="DraftNotices"/>)
/// unless <c>notifyOwner</c> is false.</item>
/// </list>
/// Compliance first: a record marked do-not-contact or opted out of email, or recipients on the suppression list,
/// skip the step with the reason (checked again when an approved draft is sent).
/// </summary>
public sealed class SendEmailHandler(
    EmailComposer composer, EmailDelivery delivery, DraftOutbox outbox, DraftNotices notices, ContactGate gate, ILogger<SendEmailHandler> logger)
    : IActionHandler
{
    public const string DraftMode = "draft";

    public string Type => ActionTypes.SendEmail;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.Equals(StepParams.Text(context.Params, "mode"), DraftMode, StringComparison.Ordinal))
        {
            return await DraftAsync(context, cancellationToken);
        }

        var composed = await composer.ComposeAsync(context, cancellationToken);
        if (composed.Instead is { } instead)
        {
            return Logged(context, instead);
        }

        var extra = new JsonObject();
        if (composed.Ai is { } ai)
        {
            extra["ai"] = ai;
        }

        if (composed.Removed.Count > 0)
        {
            extra["suppressed"] = new JsonArray(composed.Removed.Select(a => (JsonNode?)a).ToArray());
        }

        return await delivery.DeliverAsync(composed.Content!, EmailSender.For(context, measured: true), extra, cancellationToken);
    }

    /// <summary>Creates the step's draft the first time, and acts on its decision every time after.</summary>
    private async Task<ActionResult> DraftAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var draftId = Draft.IdFor(context.Run.RunId, context.Step.Id);
        var draft = await outbox.GetAsync(draftId, cancellationToken);
        JsonObject? told = null;
        if (draft is null)
        {
            var composed = await composer.ComposeAsync(context, cancellationToken);
            if (composed.Instead is { } instead)
            {
                return Logged(context, instead);
            }

            var hours = StepParams.Number(context.Params, "approvalTimeoutHours");
            var created = new Draft
            {
                DraftId = draftId,
                RunId = context.Run.RunId,
                WorkflowId = context.Run.WorkflowId,
                WorkflowVersion = context.Run.WorkflowVersion,
                StepId = context.Step.Id,
                Module = context.Run.Module,
                RecordId = context.Run.RecordId,
                OwnerId = RecordParams.RecordText(context.Scope.Record, AssignOwnerHandler.DefaultField),
                Status = DraftStatus.Pending,
                Content = composed.Content!,
                CreatedAt = context.Now,
                UpdatedAt = context.Now,
                ExpiresAt = hours is > 0 ? context.Now.AddHours(hours.Value) : null,
                OnTimeout = StepParams.Text(context.Params, "onApprovalTimeout") ?? "skip",
            };

            // Told before the draft is stored: an attempt that dies in between tells again (the same notice), rather
            // than leaving a draft nobody heard of.
            told = await TellOwnerAsync(context, created, cancellationToken);
            draft = await outbox.CreateAsync(created, cancellationToken);
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            switch (draft.Status)
            {
                case DraftStatus.Pending when draft.ExpiresAt is { } expires && context.Now >= expires:
                    var expired = await outbox.TryUpdateAsync(draft, draft with { Status = DraftStatus.Expired, Note = TimeoutMessage(draft) }, cancellationToken);
                    if (expired is null)
                    {
                        // Decided at the last moment: act on that decision instead.
                        draft = await outbox.GetAsync(draftId, cancellationToken) ?? draft;
                        continue;
                    }

                    return TimedOut(context, expired);

                case DraftStatus.Pending:
                    var id = draft.DraftId;
                    return ActionResult.Awaiting(
                        new ActionAwait(draft.AwaitKey, draft.ExpiresAt, ct => outbox.IsDecidedAsync(id, ct)),
                        Output(draft, told));

                case DraftStatus.Approved:
                    return await SendApprovedAsync(context, draft, cancellationToken);

                case DraftStatus.Sent:
                    return ActionResult.Success(draft.Output ?? Output(draft, null));

                case DraftStatus.Discarded:
                    return Logged(context, ActionResult.Skip($"The draft was discarded{By(draft)}.", Output(draft, null)));

                case DraftStatus.Expired:
                    return TimedOut(context, draft);

                default:
                    return Logged(context, ActionResult.Skip(draft.Note ?? "The draft was cancelled.", Output(draft, null)));
            }
        }

        return ActionResult.Fail($"Draft '{draftId}' kept changing while the step read it.", retryable: true);
    }

    /// <summary><c>{ ownerNotice }</c> for the step's output: what the owner was told, or why nobody was.</summary>
    private async Task<JsonObject> TellOwnerAsync(ActionContext context, Draft draft, CancellationToken cancellationToken)
    {
        JsonNode? notice = StepParams.Flag(context.Params, "notifyOwner") == false
            ? "not sent: notifyOwner is false."
            : await notices.NotifyAsync(context, draft, cancellationToken) ?? (JsonNode)"not sent: the record has no ownerId.";
        return new JsonObject { ["ownerNotice"] = notice };
    }

    private async Task<ActionResult> SendApprovedAsync(ActionContext context, Draft draft, CancellationToken cancellationToken)
    {
        // The record may have opted out, or an address been suppressed, while the draft waited.
        var cleared = await gate.ClearEmailAsync(context.Scope.Record, draft.Content, cancellationToken);
        if (cleared.Content is not { } content)
        {
            await outbox.TryUpdateAsync(draft, draft with { Status = DraftStatus.Cancelled, Note = cleared.SkipReason }, cancellationToken);
            return Logged(context, ActionResult.Skip(cleared.SkipReason!, Output(draft, null)));
        }

        var extra = new JsonObject { ["draftId"] = draft.DraftId, ["edited"] = draft.Edited, ["approvedBy"] = draft.DecidedBy };
        var result = await delivery.DeliverAsync(content, EmailSender.For(context, measured: true), extra, cancellationToken);
        if (result.Succeeded)
        {
            // Should this write lose a race, the step's output still says what was sent; the draft stays approved.
            await outbox.TryUpdateAsync(draft, draft with { Status = DraftStatus.Sent, Output = result.Output }, cancellationToken);
        }

        return result;
    }

    private ActionResult TimedOut(ActionContext context, Draft draft)
    {
        var message = draft.Note ?? TimeoutMessage(draft);
        return string.Equals(draft.OnTimeout, "fail", StringComparison.Ordinal)
            ? ActionResult.Fail(Output(draft, null), message, retryable: false)
            : Logged(context, ActionResult.Skip(message, Output(draft, null)));
    }

    private static string TimeoutMessage(Draft draft) => string.Create(
        CultureInfo.InvariantCulture,
        $"The draft was not approved before its deadline ({draft.ExpiresAt:yyyy-MM-dd'T'HH:mm:ss'Z'}).");

    private static string By(Draft draft) => draft.DecidedBy is { Length: > 0 } by ? " by " + by : "";

    private static JsonElement Output(Draft draft, JsonObject? more)
    {
        var output = new JsonObject
        {
            ["draftId"] = draft.DraftId,
            ["status"] = JsonSerializer.SerializeToNode(draft.Status, EngineJson.Options),
            ["subject"] = draft.Content.Subject,
            ["to"] = new JsonArray(draft.Content.To.Select(a => (JsonNode?)a).ToArray()),
        };
        if (draft.ExpiresAt is { } expires)
        {
            output["expiresAt"] = JsonSerializer.SerializeToNode(expires, EngineJson.Options);
        }

        foreach (var (key, value) in more ?? [])
        {
            output[key] = value?.DeepClone();
        }

        return JsonSerializer.SerializeToElement(output, EngineJson.Options);
    }

    private ActionResult Logged(ActionContext context, ActionResult result)
    {
        if (result.SkipReason is { } reason)
        {
            CommunicationLogs.Skipped(logger, context.Run.RunId, context.Step.Id, reason);
        }

        return result;
    }
}
