using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary><c>send_email</c> with <c>via</c>: from the record owner's own Gmail or Microsoft 365 mailbox, on their OAuth grant.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class OwnerMailboxTests : IAsyncLifetime
{
    private const string Ann = "ann@acme.example";
    private const string Bo = "bo@acme.example";

    private MailboxServer server = null!;
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        server = await MailboxServer.StartAsync();
        server.Authorize("rt-ann", Ann);
        server.Authorize("rt-bo", Bo);
        host = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Mailboxes:Google:ClientId", MailboxServer.GoogleClientId),
            ("Automation:Mailboxes:Google:ClientSecret", MailboxServer.GoogleClientSecret),
            ("Automation:Mailboxes:Google:TokenUrl", server.GoogleTokenUrl),
            ("Automation:Mailboxes:Google:BaseUrl", server.GmailBaseUrl),
            ("Automation:Mailboxes:Microsoft:ClientId", MailboxServer.MicrosoftClientId),
            ("Automation:Mailboxes:Microsoft:ClientSecret", MailboxServer.MicrosoftClientSecret),
            ("Automation:Mailboxes:Microsoft:TokenUrl", server.MicrosoftTokenUrl),
            ("Automation:Mailboxes:Microsoft:GraphUrl", server.GraphUrl),
            ("Automation:Mailboxes:Owners:u-ann:Provider", "gmail"),
            ("Automation:Mailboxes:Owners:u-ann:Address", Ann),
            ("Automation:Mailboxes:Owners:u-ann:RefreshToken", "rt-ann"),
            ("Automation:Mailboxes:Owners:u-bo:Provider", "microsoft365"),
            ("Automation:Mailboxes:Owners:u-bo:Address", Bo),
            ("Automation:Mailboxes:Owners:u-bo:RefreshToken", "rt-bo"),
            ("Automation:Mailboxes:Owners:u-gone:Provider", "gmail"),
            ("Automation:Mailboxes:Owners:u-gone:Address", "gone@acme.example"),
            ("Automation:Mailboxes:Owners:u-gone:RefreshToken", "rt-revoked")));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await server.DisposeAsync();
    }

    private Task<Engine.Model.Workflow> ViaAsync(string via) => host.WorkflowAsync($$$"""
        [ { "id": "hello", "action": "send_email", "params": { "via": "{{{via}}}", "to": "{{ record.email }}", "from": "someone-else@acme.example",
              "subject": "Hello {{ record.firstName }}", "body": "<p>Nice to meet you, {{ record.firstName }}.</p>" } } ]
        """);

    [Fact]
    public async Task Gmail_sends_from_the_owners_mailbox_and_one_access_token_serves_many_sends()
    {
        var wf = await ViaAsync("gmail");

        var first = await host.RunAsync(wf, "M-1", new { email = "lead1@example.com", firstName = "Cy", ownerId = "u-ann" });
        var second = await host.RunAsync(wf, "M-2", new { email = "lead2@example.com", firstName = "Di", ownerId = "u-ann" });

        Assert.Equal(RunStatus.Succeeded, first.Run.Status);
        Assert.Equal(RunStatus.Succeeded, second.Run.Status);
        var (provider, user, message) = server.Sent.Single(s => s.Message.To.Mailboxes.Single().Address == "lead1@example.com");
        Assert.Equal(("gmail", Ann), (provider, user));
        Assert.Equal(Ann, message.From.Mailboxes.Single().Address);
        Assert.Equal("Hello Cy", message.Subject);
        Assert.Contains("Nice to meet you, Cy.", message.HtmlBody, StringComparison.Ordinal);
        var output = first.Steps[0].Output;
        Assert.Equal("gmail", output.Text("via"));
        Assert.Equal("u-ann", output.Text("mailboxOwner"));
        Assert.StartsWith("Gmail answered 200 (message ", output.Text("mailbox"), StringComparison.Ordinal);
        Assert.Equal(1, server.TokenRequests);
    }

    [Fact]
    public async Task Microsoft_365_sends_mime_through_graph_and_a_rejected_token_is_refreshed_with_the_rotated_refresh_token()
    {
        var wf = await ViaAsync("microsoft365");

        var first = await host.RunAsync(wf, "M-3", new { email = "lead3@example.com", firstName = "Ed", ownerId = "u-bo" });
        server.ExpireAccessTokens();
        var second = await host.RunAsync(wf, "M-4", new { email = "lead4@example.com", firstName = "Fi", ownerId = "u-bo" });

        Assert.Equal(RunStatus.Succeeded, first.Run.Status);
        Assert.Equal(RunStatus.Succeeded, second.Run.Status);
        Assert.Equal(["graph", "graph"], server.Sent.Select(s => s.Provider));
        Assert.All(server.Sent, s => Assert.Equal(Bo, s.Message.From.Mailboxes.Single().Address));
        Assert.Equal("Hello Fi", server.Sent[1].Message.Subject);
        Assert.Equal("Microsoft Graph answered 202", second.Steps[0].Output.Text("mailbox"));
        var tokenForms = server.Requests.Where(r => r.Path.EndsWith("/token", StringComparison.Ordinal)).Select(r => r.Body).ToArray();
        Assert.Equal(2, tokenForms.Length);
        Assert.Contains("refresh_token=rt-bo&", tokenForms[0], StringComparison.Ordinal);
        Assert.Contains("refresh_token=rt-bo-r&", tokenForms[1], StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fgraph.microsoft.com%2FMail.Send", tokenForms[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approved_draft_goes_from_the_owners_mailbox_too()
    {
        var wf = await host.WorkflowAsync("""
            [ { "id": "quote", "action": "send_email", "params": { "mode": "draft", "via": "gmail", "to": "{{ record.email }}",
                  "subject": "Your quote, {{ record.firstName }}", "body": "<p>Here it is.</p>" } } ]
            """);
        await host.SendAsync(Json.Event("record.created", "lead", "M-6", new { email = "lead6@example.com", firstName = "Hu", ownerId = "u-ann" }));
        var waiting = await host.WaitForRunAsync("lead", "M-6", wf.Id!, r => r.Run.AwaitKey is not null);
        Assert.Empty(server.Sent);

        await host.Get<Runtime.Communication.Email.DraftReview>().ApproveAsync(Runtime.Communication.Email.Draft.IdFor(waiting.Run.RunId, "quote"), "u-ann");
        var run = await host.WaitForEndAsync("lead", "M-6", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var (provider, user, message) = Assert.Single(server.Sent);
        Assert.Equal(("gmail", Ann, "Your quote, Hu"), (provider, user, message.Subject));
    }

    [Theory]
    [InlineData("gmail", "u-nobody", "owner 'u-nobody' has no mailbox")]
    [InlineData("microsoft365", "u-ann", "owner 'u-ann' has a gmail mailbox, not microsoft365")]
    [InlineData("gmail", "u-gone", "Google refused the refresh token of owner 'u-gone' (invalid_grant")]
    public async Task Without_a_usable_mailbox_the_step_fails_for_good_and_nothing_is_sent(string via, string owner, string error)
    {
        var wf = await ViaAsync(via);

        var run = await host.RunAsync(wf, "M-5-" + owner, new { email = "lead5@example.com", firstName = "Gu", ownerId = owner });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Single(run.Steps);
        Assert.Contains(error, run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(server.Sent);
    }
}
