using System.Text;
using Automation.Engine.Runs;
using Automation.Runtime.Communication;
using Automation.Runtime.Tests.Infrastructure;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary><c>send_sms</c> and <c>initiate_call</c> against a local server that checks requests as Twilio does.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PhoneTests : IAsyncLifetime
{
    private TwilioServer twilio = null!;
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        twilio = await TwilioServer.StartAsync();
        host = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Twilio:AccountSid", TwilioServer.AccountSid),
            ("Automation:Twilio:AuthToken", TwilioServer.AuthToken),
            ("Automation:Twilio:BaseUrl", twilio.BaseUrl),
            ("Automation:Twilio:From", "+1 650-253-0000"),
            ("Automation:Twilio:DefaultRegion", "US")));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await twilio.DisposeAsync();
    }

    private Task<Engine.Model.Workflow> SmsAsync(string extra = "") => host.WorkflowAsync($$$"""
        [ { "id": "text", "action": "send_sms", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 },
            "params": { "to": "{{ record.phone }}", "body": "Hi {{ record.firstName }}, your score is {{ record.score }}." {{{extra}}} } } ]
        """);

    private ReceivedRequest[] SentTo(string e164) =>
        twilio.Requests.Where(r => TwilioServer.Form(r).GetValueOrDefault("To") == e164).ToArray();

    [Fact]
    public async Task A_text_goes_to_the_messages_resource_with_basic_auth_and_an_e164_number()
    {
        var run = await host.RunAsync(await SmsAsync(), "T-1", new { phone = "(650) 253-0001", firstName = "Ann", score = 87 });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var request = Assert.Single(SentTo("+16502530001"));
        Assert.Equal($"/2010-04-01/Accounts/{TwilioServer.AccountSid}/Messages.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(TwilioServer.AccountSid + ":" + TwilioServer.AuthToken)), request.Header("Authorization"));
        var form = TwilioServer.Form(request);
        Assert.Equal("+16502530000", form["From"]);
        Assert.Equal("Hi Ann, your score is 87.", form["Body"]);
        var output = run.Steps[0].Output;
        Assert.StartsWith("SM", output.Text("sid"), StringComparison.Ordinal);
        Assert.Equal("queued", output.Text("state"));
        Assert.Equal("201", output.Text("status"));
    }

    [Fact]
    public async Task A_messaging_service_replaces_the_sender_number()
    {
        var run = await host.RunAsync(await SmsAsync(""", "messagingServiceSid": "MG0001" """), "T-2", new { phone = "+16502530002", firstName = "Bo", score = 1 });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var form = TwilioServer.Form(Assert.Single(SentTo("+16502530002")));
        Assert.Equal("MG0001", form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
    }

    [Fact]
    public async Task A_number_that_is_not_valid_fails_for_good_without_calling_twilio()
    {
        var run = await host.RunAsync(await SmsAsync(), "T-3", new { phone = "12345", firstName = "Cy", score = 1 });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.StartsWith("params.to: '12345' is not a valid phone number", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Empty(SentTo("12345"));
    }

    [Fact]
    public async Task A_twilio_refusal_is_final_with_its_code()
    {
        twilio.FailNext(TwilioServer.Error(400, 21610, "Attempt to send to unsubscribed recipient"));

        var run = await host.RunAsync(await SmsAsync(), "T-4", new { phone = "+16502530004", firstName = "Di", score = 1 });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        var log = Assert.Single(run.Steps);
        Assert.Equal("Twilio answered 400 (error 21610): Attempt to send to unsubscribed recipient", log.Error);
        Assert.Equal("21610", log.Output.Text("code"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task A_server_error_or_rate_limit_is_retried(int status)
    {
        twilio.FailNext(new Answer(status, """{ "code": 20429, "message": "Too many requests", "status": 429 }""", Headers: new Dictionary<string, string> { ["Retry-After"] = "0" }));
        var recordId = "T-5-" + status;

        var run = await host.RunAsync(await SmsAsync(), recordId, new { phone = "+16502530005", firstName = "Ed", score = status });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Contains($"Twilio answered {status}", run.Steps[0].Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smsOptOut", "opted out of SMS")]
    [InlineData("doNotContact", "do-not-contact")]
    public async Task A_record_opted_out_of_texts_or_marked_do_not_contact_is_skipped(string field, string reason)
    {
        var recordId = "T-6-" + field;
        // The workflow must be active before the event arrives, or nothing enrolls.
        var workflow = await SmsAsync();
        await host.SendAsync(Json.Event("record.created", "lead", recordId, Json.Element($$$"""{ "mobile": "+16502530006", "phone": "+16502530006", "{{{field}}}": true }""")));
        var run = await host.WaitForEndAsync("lead", recordId, workflow.Id!);

        Assert.Equal(StepStatus.Skipped, Assert.Single(run.Steps).Status);
        Assert.Contains(reason, run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(SentTo("+16502530006"));
    }

    [Fact]
    public async Task A_suppressed_number_is_skipped_whoever_it_belongs_to()
    {
        await host.Get<SuppressionStore>().AddAsync(SuppressionKind.Phone, "+16502530007", "STOP received", "api");
        var wf = await host.WorkflowAsync("""[ { "id": "text", "action": "send_sms", "params": { "to": "{{ record.managerPhone }}", "body": "Check {{ record.name }}" } } ]""");

        var run = await host.RunAsync(wf, "T-7", new { managerPhone = "650.253.0007", name = "Acme" });

        Assert.Equal(StepStatus.Skipped, Assert.Single(run.Steps).Status);
        Assert.Equal("+16502530007 is on the suppression list (STOP received).", run.Steps[0].Error);
        Assert.Empty(SentTo("+16502530007"));
    }

    [Fact]
    public async Task A_text_to_the_account_manager_about_an_opted_out_record_still_goes()
    {
        var wf = await host.WorkflowAsync("""[ { "id": "text", "action": "send_sms", "params": { "to": "{{ record.managerPhone }}", "body": "{{ record.name }} is at risk" } } ]""");

        var run = await host.RunAsync(wf, "T-8", new { phone = "+16502530018", managerPhone = "+16502530008", name = "Acme", smsOptOut = true });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal("Acme is at risk", TwilioServer.Form(Assert.Single(SentTo("+16502530008")))["Body"]);
    }

    [Fact]
    public async Task A_call_says_the_rendered_text_as_escaped_twiml()
    {
        var wf = await host.WorkflowAsync("""[ { "id": "call", "action": "initiate_call", "params": { "to": "{{ record.phone }}", "say": "Hello {{ record.name }}, your order <{{ record.order }}> & more is ready." } } ]""");

        var run = await host.RunAsync(wf, "C-1", new { phone = "+16502530009", name = "Ann", order = "A-1" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var request = Assert.Single(SentTo("+16502530009"));
        Assert.EndsWith("/Calls.json", request.Path, StringComparison.Ordinal);
        var form = TwilioServer.Form(request);
        Assert.Equal("<Response><Say>Hello Ann, your order &lt;A-1&gt; &amp; more is ready.</Say></Response>", form["Twiml"]);
        Assert.Equal("+16502530000", form["From"]);
        Assert.StartsWith("CA", run.Steps[0].Output.Text("sid"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_call_can_follow_a_call_flow_url_instead()
    {
        var wf = await host.WorkflowAsync("""[ { "id": "call", "action": "initiate_call", "params": { "to": "{{ record.phone }}", "from": "+16502530099", "callFlowUrl": "https://flows.example.com/renewal?id={{ record.id }}" } } ]""");

        var run = await host.RunAsync(wf, "C-2", new { phone = "+16502530010", id = "r-9" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var form = TwilioServer.Form(Assert.Single(SentTo("+16502530010")));
        Assert.Equal("https://flows.example.com/renewal?id=r-9", form["Url"]);
        Assert.Equal("+16502530099", form["From"]);
        Assert.False(form.ContainsKey("Twiml"));
    }

    [Fact]
    public async Task A_record_opted_out_of_calls_is_not_called()
    {
        var wf = await host.WorkflowAsync("""[ { "id": "call", "action": "initiate_call", "params": { "to": "{{ record.mobile }}", "say": "Hi" } } ]""");

        var run = await host.RunAsync(wf, "C-3", new { mobile = "+16502530011", callOptOut = "yes" });

        Assert.Equal(StepStatus.Skipped, Assert.Single(run.Steps).Status);
        Assert.Contains("opted out of calls (callOptOut)", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(SentTo("+16502530011"));
    }

    [Fact]
    public async Task Without_twilio_configured_the_step_fails_for_good()
    {
        await using var bare = await RuntimeHost.StartAsync(settings: Settings());
        var wf = await bare.WorkflowAsync("""[ { "id": "text", "action": "send_sms", "params": { "to": "+16502530012", "body": "Hi" } } ]""");

        var run = await bare.RunAsync(wf, "T-9", new { });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("Automation:Twilio:AccountSid", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_url_on_a_private_address_is_refused_by_the_outbound_guard_for_good()
    {
        await using var guarded = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Twilio:AccountSid", TwilioServer.AccountSid),
            ("Automation:Twilio:AuthToken", TwilioServer.AuthToken),
            ("Automation:Twilio:BaseUrl", twilio.BaseUrl),
            ("Automation:Twilio:From", "+16502530000"),
            ("Automation:Outbound:AllowedHosts:0", "example.invalid")));
        var wf = await guarded.WorkflowAsync("""[ { "id": "text", "action": "send_sms", "params": { "to": "+16502530013", "body": "Hi" } } ]""");

        var run = await guarded.RunAsync(wf, "T-10", new { });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("Automation:Outbound:AllowedHosts", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Empty(SentTo("+16502530013"));
    }

    [Fact]
    public async Task Twilio_unreachable_is_retried_and_the_auth_token_is_in_no_step_log()
    {
        await using var closed = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Twilio:AccountSid", TwilioServer.AccountSid),
            ("Automation:Twilio:AuthToken", TwilioServer.AuthToken),
            ("Automation:Twilio:BaseUrl", "http://127.0.0.1:9"),
            ("Automation:Twilio:From", "+16502530000")));
        var wf = await closed.WorkflowAsync("""
            [ { "id": "text", "action": "send_sms", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 }, "params": { "to": "+16502530014", "body": "Hi" } } ]
            """);

        var run = await closed.RunAsync(wf, "T-11", new { });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Failed], run.Steps.Select(s => s.Status));
        Assert.StartsWith("Twilio could not be reached: ", run.Steps[0].Error, StringComparison.Ordinal);
        var logs = System.Text.Json.JsonSerializer.Serialize(run.Steps);
        Assert.DoesNotContain(TwilioServer.AuthToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(TwilioServer.AccountSid + ":" + TwilioServer.AuthToken)), logs, StringComparison.Ordinal);
    }
}
