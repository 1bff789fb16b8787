using Automation.Engine.Runs;
using Automation.Runtime.Processing;
using Automation.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Automation.Runtime.Communication.Email;

/// <summary>An owner's changes to a pending draft; null leaves a part as it is.</summary>
public sealed record DraftEdit(string? Subject, string? Html, string? Text);

/// <summary>
/// What an owner does with a draft: edit it, approve it (the waiting run wakes and sends it) or discard it (the run
/// wakes and moves on, the step logged as skipped). Every change is made with the draft's ETag and only while it is
/// pending; a draft whose run has ended meanwhile is cancelled instead, since nothing would send it.
/// </summary>
public sealed class DraftReview(DraftOutbox outbox, RunSignals signals, TimeProvider time, ILogger<DraftReview> logger)
{
    private const int MaxAttempts = 5;

    public async Task<CommandResult<Draft>> EditAsync(string draftId, DraftEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        for (var attempt = 1; ; attempt++)
        {
            var draft = await outbox.GetAsync(draftId, cancellationToken);
            if (draft is null)
            {
                return CommandResult.NotFound<Draft>($"Draft '{draftId}' does not exist.");
            }

            if (draft.Status != DraftStatus.Pending)
            {
                return CommandResult.Conflict<Draft>($"Draft '{draftId}' is {EnumNames.Camel(draft.Status)}; only a pending draft can be edited.");
            }

            var content = draft.Content;
            var html = edit.Html ?? content.Html;
            var text = edit.Text ?? (edit.Html is not null ? EmailBodies.ToText(edit.Html) : content.Text);
            var changed = draft with
            {
                Content = content with { Subject = edit.Subject?.Trim() ?? content.Subject, Html = html, Text = text },
                Edited = true,
            };
            if (await outbox.TryUpdateAsync(draft, changed, cancellationToken) is { } saved)
            {
                return CommandResult.Done(saved);
            }

            if (attempt >= MaxAttempts)
            {
                return CommandResult.Conflict<Draft>($"Draft '{draftId}' was changed by someone else at the same time; read it again.");
            }
        }
    }

    public Task<CommandResult<Draft>> ApproveAsync(string draftId, string? by, CancellationToken cancellationToken = default) =>
        DecideAsync(draftId, DraftStatus.Approved, by, cancellationToken);

    public Task<CommandResult<Draft>> DiscardAsync(string draftId, string? by, CancellationToken cancellationToken = default) =>
        DecideAsync(draftId, DraftStatus.Discarded, by, cancellationToken);

    private async Task<CommandResult<Draft>> DecideAsync(string draftId, DraftStatus decision, string? by, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var draft = await outbox.GetAsync(draftId, cancellationToken);
            if (draft is null)
            {
                return CommandResult.NotFound<Draft>($"Draft '{draftId}' does not exist.");
            }

            if (draft.Status != DraftStatus.Pending)
            {
                return CommandResult.Conflict<Draft>($"Draft '{draftId}' is {EnumNames.Camel(draft.Status)}; only a pending draft can be approved or discarded.");
            }

            var now = time.GetUtcNow();
            var run = await signals.GetAsync(draft.RunId, cancellationToken);
            if (run is null || RunTransitions.IsTerminal(run.Status))
            {
                var why = run is null ? "its run no longer exists" : $"its run has ended ({EnumNames.Camel(run.Status)})";
                await outbox.TryUpdateAsync(draft, draft with { Status = DraftStatus.Cancelled, Note = $"Cancelled: {why}.", DecidedAt = now }, cancellationToken);
                return CommandResult.Conflict<Draft>($"Draft '{draftId}' cannot be {(decision == DraftStatus.Approved ? "approved" : "discarded")}: {why}, so nothing would send it. It is now cancelled.");
            }

            var decided = await outbox.TryUpdateAsync(draft, draft with { Status = decision, DecidedAt = now, DecidedBy = by }, cancellationToken);
            if (decided is null)
            {
                if (attempt >= MaxAttempts)
                {
                    return CommandResult.Conflict<Draft>($"Draft '{draftId}' was changed by someone else at the same time; read it again.");
                }

                continue;
            }

            CommunicationLogs.DraftDecided(logger, draftId, EnumNames.Camel(decision));
            await signals.SignalAsync(draft.RunId, draft.AwaitKey, cancellationToken);
            return CommandResult.Done(decided);
        }
    }
}
