using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Runtime.Communication;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Tests.Infrastructure;
using MimeKit;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary><c>send_email</c> through workflow runs to a real SMTP server (MailDev), read back with every header.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EmailTests : IAsyncLifetime
{
    private RuntimeHost host = null!;
    private WebhookReceiver files = null!;

    public async Task InitializeAsync()
    {
        await MailDev.EnsureRunningAsync();
        files = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(settings: Settings());
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await files.DisposeAsync();
    }

    [Fact]
    public async Task An_email_arrives_with_its_addresses_headers_both_bodies_tracking_and_attachments()
    {
        var to = MailDev.Address("ann");
        var cc = MailDev.Address("cc");
        var bcc = MailDev.Address("bcc");
        var wf = await host.WorkflowAsync($$$"""
            [ { "id": "welcome", "action": "send_email", "params": {
                "to": "{{ record.firstName }} <{{ record.email }}>", "cc": ["{{{cc}}}"], "bcc": "{{{bcc}}}",
                "from": "Sales <sales@example.com>", "replyTo": "owner@example.com",
                "subject": "Welcome, {{ record.firstName }}",
                "html": "<p>Hi {{ record.firstName }}, see <a href=\"https://example.com/pricing?plan=pro\">our pricing</a>.</p>",
                "attachments": [ { "name": "notes.txt", "content": "Notes for {{ record.firstName }}" },
                                 { "url": "{{{files.Url("files/quote.pdf")}}}" } ] } } ]
            """);

        var run = await host.RunAsync(wf, "E-1", new { email = to, firstName = "Ann" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var email = Assert.Single(await MailDev.WaitForAsync(to));
        var m = email.Message;
        Assert.Equal("Welcome, Ann", m.Subject);
        Assert.Equal("sales@example.com", m.From.Mailboxes.Single().Address);
        Assert.Equal("Ann", m.To.Mailboxes.Single().Name);
        Assert.Equal(cc, m.Cc.Mailboxes.Single().Address);
        Assert.Equal("owner@example.com", m.ReplyTo.Mailboxes.Single().Address);
        Assert.Empty(m.Bcc);
        Assert.Single(await MailDev.WaitForAsync(bcc));

        var output = run.Steps[0].Output;
        Assert.Equal(output.Text("messageId"), m.MessageId);
        Assert.Equal("true", output.Text("tracked"));
        Assert.StartsWith($"<{TrackingBaseUrl}/t/u/", email.Header("List-Unsubscribe"), StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", email.Header("List-Unsubscribe-Post"));
        Assert.Equal(wf.Id, email.Header("X-Automation-Workflow"));

        // HTML: the link is a signed redirect, a pixel is added, an unsubscribe link closes it.
        Assert.Contains($"href=\"{TrackingBaseUrl}/t/c/", m.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"https://example.com/pricing", m.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"src=\"{TrackingBaseUrl}/t/o/", m.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(">Unsubscribe</a>", m.HtmlBody, StringComparison.Ordinal);

        // The plain-text alternative keeps the real link, readable.
        Assert.Contains("Hi Ann, see our pricing (https://example.com/pricing?plan=pro).", m.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Unsubscribe: {TrackingBaseUrl}/t/u/", m.TextBody, StringComparison.Ordinal);

        var attachments = m.Attachments.OfType<MimePart>().ToDictionary(a => a.FileName ?? "");
        Assert.Equal(["notes.txt", "quote.pdf"], attachments.Keys.Order());
        using var notes = new MemoryStream();
        await attachments["notes.txt"].Content!.DecodeToAsync(notes);
        Assert.Equal("Notes for Ann", System.Text.Encoding.UTF8.GetString(notes.ToArray()));
        Assert.Equal("application/pdf", attachments["quote.pdf"].ContentType.MimeType);
        Assert.Single(files.RequestsTo("files/quote.pdf"));
    }

    [Fact]
    public async Task The_record_s_documents_are_attached_by_id_or_by_name()
    {
        var to = MailDev.Address();
        var wf = await host.WorkflowAsync("""
            [ { "id": "quote", "action": "attach_document", "params": { "name": "Quote-{{ record.number }}.txt", "template": "Quote for {{ record.firstName }}: 100 EUR" } },
              { "id": "notes", "action": "attach_document", "params": { "name": "Notes.txt", "template": "Call on Monday" } },
              { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Your quote", "body": "Attached.",
                "attachments": [ { "documentId": "{{ run.steps.quote.document.id }}" }, { "document": "Notes.txt" } ] } },
              { "id": "missing", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Again", "body": "x",
                "attachments": [ { "document": "Nope.pdf" } ] } } ]
            """);

        var run = await host.RunAsync(wf, "E-doc", new { email = to, firstName = "Ann", number = 42 });

        Assert.Equal([StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Succeeded, StepStatus.Failed], run.Steps.Select(s => s.Status));
        Assert.Contains("has no document named 'Nope.pdf'", run.Steps[3].Error, StringComparison.Ordinal);
        var m = Assert.Single(await MailDev.WaitForAsync(to)).Message;
        var attachments = m.Attachments.OfType<MimePart>().ToDictionary(a => a.FileName ?? "");
        Assert.Equal(["Notes.txt", "Quote-42.txt"], attachments.Keys.Order());
        using var quote = new MemoryStream();
        await attachments["Quote-42.txt"].Content!.DecodeToAsync(quote);
        Assert.Equal("Quote for Ann: 100 EUR", System.Text.Encoding.UTF8.GetString(quote.ToArray()));
    }

    [Fact]
    public async Task A_saved_template_renders_on_the_record_and_its_current_version_is_used_and_logged()
    {
        var templates = host.Get<EmailTemplateStore>();
        var template = await templates.CreateAsync(new EmailTemplate { Id = "welcome-" + Id(), Name = "Welcome", Subject = "Old", Text = "Old body" });
        await templates.ReplaceAsync(template!.Id!, template with { Subject = "Hello {{ record.firstName }}", Html = "<h1>Welcome {{ record.firstName }}</h1>", Text = null }, expectedVersion: 1);
        var to = MailDev.Address();
        var wf = await host.WorkflowAsync($$$"""[ { "id": "tpl", "action": "send_email", "params": { "to": "{{ record.email }}", "templateId": "{{{template.Id}}}", "mode": "template" } } ]""");

        var run = await host.RunAsync(wf, "E-2", new { email = to, firstName = "Bo" });

        var m = Assert.Single(await MailDev.WaitForAsync(to)).Message;
        Assert.Equal("Hello Bo", m.Subject);
        Assert.Contains("<h1>Welcome Bo</h1>", m.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Welcome Bo", m.TextBody!.Split('\n')[0].Trim());
        Assert.Equal(template.Id, run.Steps[0].Output.Text("templateId"));
        Assert.Equal("2", run.Steps[0].Output.Text("templateVersion"));
    }

    [Fact]
    public async Task A_template_that_fails_to_render_or_does_not_exist_fails_the_step_for_good()
    {
        var templates = host.Get<EmailTemplateStore>();
        var broken = await templates.CreateAsync(new EmailTemplate { Id = "broken-" + Id(), Name = "Broken", Subject = "Hi", Text = "Due {{ now | in_time_zone: record.tz }}" });
        var wf = await host.WorkflowAsync($$$"""
            [ { "id": "broken", "action": "send_email", "params": { "to": "{{ record.email }}", "templateId": "{{{broken!.Id}}}" } } ]
            """);
        var missing = await host.WorkflowAsync("""
            [ { "id": "missing", "action": "send_email", "params": { "to": "{{ record.email }}", "templateId": "no-such-template" } } ]
            """, "Missing");

        var failed = await host.RunAsync(wf, "E-3", new { email = MailDev.Address(), tz = "Mars/Olympus" });
        var gone = await host.RunAsync(missing, "E-4", new { email = MailDev.Address() });

        Assert.Equal(RunStatus.Failed, failed.Run.Status);
        var log = Assert.Single(failed.Steps);
        Assert.Contains($"Email template '{broken.Id}' (version 1) failed to render: text:", log.Error, StringComparison.Ordinal);
        Assert.Contains("Mars/Olympus", log.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, gone.Run.Status);
        Assert.Contains("email template 'no-such-template' does not exist", Assert.Single(gone.Steps).Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("doNotContact", "true", "do-not-contact")]
    [InlineData("doNotContact", "\"yes\"", "do-not-contact")]
    [InlineData("emailOptOut", "1", "opted out of email")]
    [InlineData("emailOptOut", "\"true\"", "opted out of email")]
    public async Task A_record_marked_do_not_contact_or_opted_out_is_skipped_with_the_reason_and_the_run_goes_on(string field, string value, string reason)
    {
        var to = MailDev.Address();
        var wf = await host.WorkflowAsync($$$"""
            [ { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hi", "body": "x" } },
              { "id": "after", "action": "call_webhook", "params": { "url": "{{{files.Url("after")}}}" } } ]
            """);
        var recordId = "E-dnc-" + Id();

        await host.SendAsync(Json.Event("record.created", "lead", recordId, Json.Element($$$"""{ "email": "{{{to}}}", "{{{field}}}": {{{value}}} }""")));
        var run = await host.WaitForEndAsync("lead", recordId, wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Skipped, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Contains(reason, run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Contains(field, run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }

    [Fact]
    public async Task A_suppressed_address_skips_the_email_and_a_suppressed_copy_recipient_is_left_out()
    {
        var blocked = MailDev.Address("blocked");
        var open = MailDev.Address("open");
        var copy = MailDev.Address("copy");
        var suppressions = host.Get<SuppressionStore>();
        await suppressions.AddAsync(SuppressionKind.Email, blocked, "bounced", "api");
        await suppressions.AddAsync(SuppressionKind.Email, copy, null, "api");
        var wf = await host.WorkflowAsync("""
            [ { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "cc": "{{ record.cc }}", "subject": "Hi", "body": "x" } } ]
            """);

        var skipped = await host.RunAsync(wf, "E-5", new { email = blocked.ToUpperInvariant(), cc = open });
        var sent = await host.RunAsync(wf, "E-6", new { email = open, cc = copy });

        Assert.Equal(StepStatus.Skipped, skipped.Steps[0].Status);
        Assert.Contains($"suppression list: {blocked} (bounced)", skipped.Steps[0].Error, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Succeeded, sent.Steps[0].Status);
        Assert.Contains(copy, sent.Steps[0].Output.Text("suppressed"), StringComparison.Ordinal);
        var m = Assert.Single(await MailDev.WaitForAsync(open)).Message;
        Assert.Empty(m.Cc);
        Assert.Empty(await MailDev.ReceivedByAsync(copy));
        Assert.Empty(await MailDev.ReceivedByAsync(blocked));
    }

    [Fact]
    public async Task An_email_about_a_do_not_contact_record_to_someone_else_goes_without_unsubscribe_link()
    {
        var owner = MailDev.Address("owner");
        var wf = await host.WorkflowAsync("""
            [ { "id": "tell-owner", "action": "send_email", "params": { "to": "{{ record.ownerEmail }}", "subject": "{{ record.name }} asked not to be contacted", "body": "Please call them off." } } ]
            """);

        var run = await host.RunAsync(wf, "E-7", new { email = MailDev.Address(), ownerEmail = owner, name = "Cy", doNotContact = true });

        Assert.Equal(StepStatus.Succeeded, run.Steps[0].Status);
        var email = Assert.Single(await MailDev.WaitForAsync(owner));
        Assert.Equal("", email.Header("List-Unsubscribe"));
        Assert.DoesNotContain("Unsubscribe", email.Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_that_is_not_one_fails_the_step_for_good_naming_the_param()
    {
        var wf = await host.WorkflowAsync("""[ { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hi", "body": "x" } } ]""");

        var run = await host.RunAsync(wf, "E-8", new { email = "not an address" });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal(StepStatus.Failed, Assert.Single(run.Steps).Status);
        Assert.StartsWith("params.to: 'not an address' is not an email address", run.Steps[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_renders_the_email_and_sends_nothing()
    {
        var to = MailDev.Address();
        var wf = await host.WorkflowAsync("""[ { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hi {{ record.firstName }}", "body": "x" } } ]""");

        var result = DryRun.Run(wf, Json.Event("record.created", "lead", "E-9", new { email = to, firstName = "Di" }), null, DateTimeOffset.UtcNow, new Engine.Templates.TemplateRenderer());

        Assert.Equal("Hi Di", result.Steps[0].Params!.Value.GetProperty("subject").GetString());
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }
}

/// <summary>What the SMTP relay answers decides whether a send is retried: 4xx and a dropped connection are, 5xx is not.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmtpFailureTests : IAsyncLifetime
{
    private ScriptedSmtpServer smtp = null!;
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        smtp = ScriptedSmtpServer.Start();
        host = await RuntimeHost.StartAsync(settings: Settings(("Automation:Email:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await smtp.DisposeAsync();
    }

    private Task<Engine.Model.Workflow> WorkflowAsync() => host.WorkflowAsync("""
        [ { "id": "mail", "action": "send_email", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 },
            "params": { "to": "{{ record.email }}", "subject": "Hi", "body": "x" } } ]
        """);

    [Fact]
    public async Task A_refused_recipient_fails_the_step_at_once()
    {
        var run = await host.RunAsync(await WorkflowAsync(), "S-1", new { email = "reject-me@example.com" });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        var log = Assert.Single(run.Steps);
        Assert.Equal(StepStatus.Failed, log.Status);
        Assert.Contains("refused recipient", log.Error, StringComparison.Ordinal);
        Assert.Contains("550", log.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_temporary_refusal_is_retried()
    {
        var run = await host.RunAsync(await WorkflowAsync(), "S-2", new { email = "later@example.com" });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Failed], run.Steps.Select(s => s.Status));
        Assert.All(run.Steps, s => Assert.Contains("451", s.Error, StringComparison.Ordinal));
        Assert.Equal(2, smtp.Recipients.Count(r => r.Contains("later@example.com", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_accepted_message_succeeds_with_the_relay_answer()
    {
        var run = await host.RunAsync(await WorkflowAsync(), "S-3", new { email = "fine@example.com" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Contains("Queued", run.Steps[0].Output.Text("smtp"), StringComparison.Ordinal);
        Assert.Contains(smtp.Accepted, m => m.Contains("fine@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_relay_is_retried()
    {
        var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var unreachable = await RuntimeHost.StartAsync(settings: Settings(("Automation:Email:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var wf = await unreachable.WorkflowAsync("""
            [ { "id": "mail", "action": "send_email", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 },
                "params": { "to": "{{ record.email }}", "subject": "Hi", "body": "x" } } ]
            """);

        var run = await unreachable.RunAsync(wf, "S-4", new { email = "nobody@example.com" });

        Assert.Equal([StepStatus.Retrying, StepStatus.Failed], run.Steps.Select(s => s.Status));
        Assert.Contains("could not be reached", run.Steps[0].Error, StringComparison.Ordinal);
    }
}
