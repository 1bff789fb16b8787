using Automation.Engine.Runs;
using Automation.Runtime.Communication;
using Automation.Runtime.Tests.Infrastructure;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary><c>notify_team</c> (an email to a configured team) and <c>in_app_notification</c> (stored per user).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TeamAndNotificationTests : IAsyncLifetime
{
    private readonly string ann = MailDev.Address("ann");
    private readonly string bo = MailDev.Address("bo");
    private readonly string cy = MailDev.Address("cy");
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        await MailDev.EnsureRunningAsync();
        host = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Teams:Sales:Members:0", ann),
            ("Automation:Teams:Sales:Members:1:Id", "u-bo"),
            ("Automation:Teams:Sales:Members:1:Email", $"Bo <{bo}>"),
            ("Automation:Teams:Sales:Members:2", cy)));
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Every_member_of_the_team_gets_the_email_but_a_suppressed_one()
    {
        await host.Get<SuppressionStore>().AddAsync(SuppressionKind.Email, cy, "left the company", "api");
        var wf = await host.WorkflowAsync("""[ { "id": "tell", "action": "notify_team", "params": { "team": "sales", "subject": "New lead {{ record.name }}", "body": "Score {{ record.score }}" } } ]""");

        var run = await host.RunAsync(wf, "N-1", new { name = "Acme", score = 91 });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var toAnn = Assert.Single(await MailDev.WaitForAsync(ann)).Message;
        Assert.Equal("New lead Acme", toAnn.Subject);
        Assert.Equal("Score 91", toAnn.TextBody!.Trim());
        Assert.Equal([ann, bo], toAnn.To.Mailboxes.Select(m => m.Address).Order());
        Assert.Single(await MailDev.WaitForAsync(bo));
        Assert.Empty(await MailDev.ReceivedByAsync(cy));
        Assert.Contains(cy, run.Steps[0].Output.Text("suppressed"), StringComparison.Ordinal);
        Assert.Equal("false", run.Steps[0].Output.Text("tracked"));
    }

    [Fact]
    public async Task An_unknown_team_fails_the_step_for_good_naming_the_teams()
    {
        var wf = await host.WorkflowAsync("""[ { "id": "tell", "action": "notify_team", "params": { "team": "marketing", "subject": "x", "body": "y" } } ]""");

        var run = await host.RunAsync(wf, "N-2", new { });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("there is no team 'marketing'", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Contains("Teams: Sales", run.Steps[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_in_app_notification_is_stored_for_the_user_listed_and_marked_read()
    {
        var user = "u-" + Id();
        var wf = await host.WorkflowAsync("""
            [ { "id": "ping", "action": "in_app_notification", "params": { "userId": "{{ record.ownerId }}", "title": "{{ record.name }} is at risk", "body": "Score {{ record.score }}", "link": "https://crm.example.com/leads/{{ record.id }}" } } ]
            """);

        var first = await host.RunAsync(wf, "N-3", new { ownerId = user, name = "Acme", score = 12, id = "N-3" });
        await host.RunAsync(wf, "N-4", new { ownerId = user, name = "Beta", score = 8, id = "N-4" });
        var store = host.Get<NotificationStore>();
        var listed = await store.ListAsync(user, unreadOnly: false, 50, null);

        Assert.Equal(RunStatus.Succeeded, first.Run.Status);
        Assert.Equal(["Beta is at risk", "Acme is at risk"], listed.Items.Select(n => n.Title));
        var acme = listed.Items[1];
        Assert.Equal(first.Steps[0].Output.Text("notificationId"), acme.Id);
        Assert.Equal("Score 12", acme.Body);
        Assert.Equal("https://crm.example.com/leads/N-3", acme.Link);
        Assert.Equal(wf.Id, acme.WorkflowId);
        Assert.False(acme.Read);

        var read = await store.MarkReadAsync(acme.Id);
        var unread = await store.ListAsync(user, unreadOnly: true, 50, null);

        Assert.True(read!.Read);
        Assert.Equal(["Beta is at risk"], unread.Items.Select(n => n.Title));
        Assert.Empty((await store.ListAsync("someone-else", false, 50, null)).Items);
        Assert.Null(await store.MarkReadAsync("not-an-id"));
    }
}
