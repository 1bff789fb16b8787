using Automation.Engine.Runs;
using Automation.Runtime.Communication;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Runs;
using Automation.Runtime.Tests.Infrastructure;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary>Draft mode: the email waits in the outbox, the run waits for the owner's decision, then sends or moves on.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DraftTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync()
    {
        await MailDev.EnsureRunningAsync();
        receiver = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(settings: Settings());
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await receiver.DisposeAsync();
    }

    private DraftOutbox Outbox => host.Get<DraftOutbox>();

    private DraftReview Review => host.Get<DraftReview>();

    private Task<Engine.Model.Workflow> DraftWorkflowAsync(string extra = "") => host.WorkflowAsync($$$"""
        [ { "id": "draft", "action": "send_email", "params": { "mode": "draft", "to": "{{ record.email }}",
              "subject": "Quote for {{ record.firstName }}", "html": "<p>Dear {{ record.firstName }}, here is your quote.</p>" {{{extra}}} } },
          { "id": "after", "action": "call_webhook", "params": { "url": "{{{receiver.Url("after")}}}" } } ]
        """);

    /// <summary>Starts a run and waits until it waits for its draft; returns the run and the draft.</summary>
    private async Task<(RunDetails Run, Draft Draft)> WaitingAsync(Engine.Model.Workflow wf, string recordId, string email)
    {
        await host.SendAsync(Json.Event("record.created", "lead", recordId, new { email, firstName = "Ann", ownerId = "u-owner" }));
        var run = await host.WaitForRunAsync("lead", recordId, wf.Id!, r => r.Run.Status == RunStatus.Waiting && r.Run.AwaitKey is not null);
        var draft = await Outbox.GetAsync(Draft.IdFor(run.Run.RunId, "draft"));
        return (run, draft!);
    }

    [Fact]
    public async Task The_run_waits_for_the_draft_and_sends_it_as_the_owner_edited_and_approved_it()
    {
        var to = MailDev.Address();
        var wf = await DraftWorkflowAsync();

        var (waiting, draft) = await WaitingAsync(wf, "D-1", to);

        Assert.Equal(StepStatus.Waiting, Assert.Single(waiting.Steps).Status);
        Assert.Equal(draft.DraftId, waiting.Steps[0].Output.Text("draftId"));
        Assert.Equal(DraftStatus.Pending, draft.Status);
        Assert.Equal("u-owner", draft.OwnerId);
        Assert.Equal("Quote for Ann", draft.Content.Subject);
        Assert.Empty(await MailDev.ReceivedByAsync(to));
        Assert.Contains((await Outbox.ListAsync(DraftStatus.Pending, "u-owner", wf.Id, 50, null)).Items, d => d.DraftId == draft.DraftId);

        var edited = await Review.EditAsync(draft.DraftId, new DraftEdit("Your quote, Ann", "<p>Dear Ann, the quote is attached. Call me.</p>", null));
        var approved = await Review.ApproveAsync(draft.DraftId, "u-owner");
        var run = await host.WaitForEndAsync("lead", "D-1", wf.Id!);

        Assert.True(edited.Ok);
        Assert.Equal(DraftStatus.Approved, approved.Value!.Status);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Waiting, StepStatus.Succeeded, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Equal(1, run.Steps[1].Attempt);
        Assert.Equal("true", run.Steps[1].Output.Text("edited"));
        Assert.Equal("u-owner", run.Steps[1].Output.Text("approvedBy"));
        var m = Assert.Single(await MailDev.WaitForAsync(to)).Message;
        Assert.Equal("Your quote, Ann", m.Subject);
        Assert.Contains("the quote is attached", m.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("the quote is attached. Call me.", m.TextBody, StringComparison.Ordinal);
        Assert.Equal(DraftStatus.Sent, (await Outbox.GetAsync(draft.DraftId))!.Status);
        Assert.Single(receiver.RequestsTo("after"));
    }

    [Fact]
    public async Task A_discarded_draft_skips_the_step_and_the_run_goes_on()
    {
        var to = MailDev.Address();
        var wf = await DraftWorkflowAsync();
        var (_, draft) = await WaitingAsync(wf, "D-2", to);

        var discarded = await Review.DiscardAsync(draft.DraftId, "u-owner");
        var run = await host.WaitForEndAsync("lead", "D-2", wf.Id!);

        Assert.Equal(DraftStatus.Discarded, discarded.Value!.Status);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Waiting, StepStatus.Skipped, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Equal("The draft was discarded by u-owner.", run.Steps[1].Error);
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }

    [Fact]
    public async Task A_draft_not_decided_in_time_skips_the_step_and_cannot_be_approved_afterwards()
    {
        var to = MailDev.Address();
        var wf = await DraftWorkflowAsync(""", "approvalTimeoutHours": 0.0005""");
        await host.SendAsync(Json.Event("record.created", "lead", "D-3", new { email = to, firstName = "Ann" }));

        var run = await host.WaitForEndAsync("lead", "D-3", wf.Id!);
        var draftId = Draft.IdFor(run.Run.RunId, "draft");
        var late = await Review.ApproveAsync(draftId, "u-owner");

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Waiting, StepStatus.Skipped, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.StartsWith("The draft was not approved before its deadline", run.Steps[1].Error, StringComparison.Ordinal);
        var expired = (await Outbox.GetAsync(draftId))!;
        Assert.Equal(DraftStatus.Expired, expired.Status);
        Assert.True(run.Steps[1].StartedAt >= expired.ExpiresAt, "The deadline is never judged early.");
        Assert.Equal(Runtime.CommandOutcome.Conflict, late.Outcome);
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }

    [Fact]
    public async Task A_draft_not_decided_in_time_can_fail_the_run_instead()
    {
        var wf = await DraftWorkflowAsync(""", "approvalTimeoutHours": 0.0005, "onApprovalTimeout": "fail" """);
        await host.SendAsync(Json.Event("record.created", "lead", "D-4", new { email = MailDev.Address(), firstName = "Ann" }));

        var run = await host.WaitForEndAsync("lead", "D-4", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal([StepStatus.Waiting, StepStatus.Failed], run.Steps.Select(s => s.Status));
        Assert.Empty(receiver.RequestsTo("after"));
    }

    [Fact]
    public async Task A_draft_whose_run_was_cancelled_cannot_be_approved_and_is_cancelled()
    {
        var to = MailDev.Address();
        var wf = await DraftWorkflowAsync();
        var (waiting, draft) = await WaitingAsync(wf, "D-5", to);

        await host.Commands.CancelAsync(waiting.Run.RunId);
        var approved = await Review.ApproveAsync(draft.DraftId, "u-owner");

        Assert.Equal(Runtime.CommandOutcome.Conflict, approved.Outcome);
        Assert.Contains("its run has ended (cancelled)", approved.Message, StringComparison.Ordinal);
        Assert.Equal(DraftStatus.Cancelled, (await Outbox.GetAsync(draft.DraftId))!.Status);
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }

    [Fact]
    public async Task Only_a_pending_draft_can_be_edited_or_decided()
    {
        var wf = await DraftWorkflowAsync();
        var (_, draft) = await WaitingAsync(wf, "D-6", MailDev.Address());
        await Review.DiscardAsync(draft.DraftId, null);

        var edit = await Review.EditAsync(draft.DraftId, new DraftEdit("Again", null, null));
        var approve = await Review.ApproveAsync(draft.DraftId, null);
        var missing = await Review.ApproveAsync(draft.DraftId + "x", null);

        Assert.Equal(Runtime.CommandOutcome.Conflict, edit.Outcome);
        Assert.Contains("is discarded", edit.Message, StringComparison.Ordinal);
        Assert.Equal(Runtime.CommandOutcome.Conflict, approve.Outcome);
        Assert.Equal(Runtime.CommandOutcome.NotFound, missing.Outcome);
    }

    [Fact]
    public async Task A_record_that_opts_out_while_its_draft_waits_is_not_emailed_when_the_draft_is_approved()
    {
        var to = MailDev.Address();
        var wf = await DraftWorkflowAsync();
        var (_, draft) = await WaitingAsync(wf, "D-7", to);

        await host.SendAsync(Json.Event("record.updated", "lead", "D-7", new { email = to, firstName = "Ann", emailOptOut = true }));
        await Eventually.HoldsAsync(async () => (await host.Get<Records.RecordStore>().GetAsync("lead", "D-7"))?.Fields.TryGetProperty("emailOptOut", out _) == true);
        await Review.ApproveAsync(draft.DraftId, "u-owner");
        var run = await host.WaitForEndAsync("lead", "D-7", wf.Id!);

        Assert.Equal(StepStatus.Skipped, run.Steps[1].Status);
        Assert.Contains("opted out of email", run.Steps[1].Error, StringComparison.Ordinal);
        Assert.Equal(DraftStatus.Cancelled, (await Outbox.GetAsync(draft.DraftId))!.Status);
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }

    [Fact]
    public async Task The_owner_is_told_in_app_with_a_link_to_the_draft_and_not_emailed_unless_configured()
    {
        var wf = await DraftWorkflowAsync();
        var (waiting, draft) = await WaitingAsync(wf, "D-8", MailDev.Address());

        var notices = (await host.Get<NotificationStore>().ListAsync("u-owner", unreadOnly: true, 50, null)).Items;
        var notice = Assert.Single(notices);
        Assert.Equal("Draft to review: Quote for Ann", notice.Title);
        Assert.Equal($"{TrackingBaseUrl}/drafts/{draft.DraftId}", notice.Link);
        Assert.Contains(draft.Content.To[0], notice.Body, StringComparison.Ordinal);
        Assert.Equal((waiting.Run.RunId, "draft"), (notice.RunId, notice.StepId));
        var told = waiting.Steps[0].Output!.Value.GetProperty("ownerNotice");
        Assert.Equal(notice.Id, told.GetProperty("notificationId").GetString());
        Assert.False(told.TryGetProperty("emailedTo", out _));
    }

    [Fact]
    public async Task With_owner_emails_on_the_owner_gets_one_email_with_the_link_however_often_the_step_runs()
    {
        var owner = MailDev.Address("owner");
        await using var emailing = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Email:DraftOwnerEmails", "true"),
            ("Automation:Teams:sales:Members:0:Id", "u-owner"),
            ("Automation:Teams:sales:Members:0:Email", owner)));
        var wf = await emailing.WorkflowAsync($$$"""
            [ { "id": "draft", "action": "send_email", "params": { "mode": "draft", "to": "{{ record.email }}", "subject": "Quote for {{ record.firstName }}", "html": "<p>Your quote.</p>" } } ]
            """);
        var to = MailDev.Address();
        await emailing.SendAsync(Json.Event("record.created", "lead", "D-9", new { email = to, firstName = "Ann", ownerId = "u-owner" }));
        var waiting = await emailing.WaitForRunAsync("lead", "D-9", wf.Id!, r => r.Run.Status == RunStatus.Waiting && r.Run.AwaitKey is not null);
        var draftId = Draft.IdFor(waiting.Run.RunId, "draft");

        var mail = Assert.Single(await MailDev.WaitForAsync(owner)).Message;
        await emailing.Get<DraftReview>().ApproveAsync(draftId, "u-owner");
        var run = await emailing.WaitForEndAsync("lead", "D-9", wf.Id!);

        Assert.Equal("Draft to review: Quote for Ann", mail.Subject);
        Assert.Contains($"{TrackingBaseUrl}/drafts/{draftId}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{TrackingBaseUrl}/drafts/{draftId}\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(owner, waiting.Steps[0].Output!.Value.GetProperty("ownerNotice").GetProperty("emailedTo").GetString());
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Single(await MailDev.WaitForAsync(to));
        Assert.Single(await MailDev.ReceivedByAsync(owner));
        Assert.Single((await emailing.Get<NotificationStore>().ListAsync("u-owner", unreadOnly: false, 50, null)).Items);
    }

    [Fact]
    public async Task A_step_with_notifyOwner_false_tells_nobody_and_says_so()
    {
        var wf = await DraftWorkflowAsync(""", "notifyOwner": false""");
        var (waiting, _) = await WaitingAsync(wf, "D-10", MailDev.Address());

        Assert.Empty((await host.Get<NotificationStore>().ListAsync("u-owner", unreadOnly: false, 50, null)).Items);
        Assert.Equal("not sent: notifyOwner is false.", waiting.Steps[0].Output!.Value.GetProperty("ownerNotice").GetString());
    }
}
