using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Runtime.Communication;
using Automation.Runtime.Tests.Infrastructure;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary><c>send_sms</c> from a saved, versioned template, or written by the language model within SMS length.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SmsModeTests : IAsyncLifetime
{
    private TwilioServer twilio = null!;
    private ChatCompletionsServer model = null!;
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        twilio = await TwilioServer.StartAsync();
        model = await ChatCompletionsServer.StartAsync();
        model.Writer = (_, user) => "Hi " + JsonField(user, "firstName") + ", your renewal is due Friday. Reply YES to renew.";
        host = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Twilio:AccountSid", TwilioServer.AccountSid),
            ("Automation:Twilio:AuthToken", TwilioServer.AuthToken),
            ("Automation:Twilio:BaseUrl", twilio.BaseUrl),
            ("Automation:Twilio:From", "+16502530000"),
            ("Automation:Ai:Endpoint", model.Endpoint),
            ("Automation:Ai:ApiKey", ChatCompletionsServer.ApiKey),
            ("Automation:Ai:Model", ChatCompletionsServer.Model)));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await model.DisposeAsync();
        await twilio.DisposeAsync();
    }

    private SmsTemplateStore Templates => host.Get<SmsTemplateStore>();

    private IReadOnlyDictionary<string, string> SentTo(string e164) =>
        TwilioServer.Form(Assert.Single(twilio.Requests, r => TwilioServer.Form(r).GetValueOrDefault("To") == e164));

    private static string JsonField(string text, string field) =>
        System.Text.RegularExpressions.Regex.Match(text, $"\"{field}\":\"(?<v>[^\"]+)\"").Groups["v"].Value;

    [Fact]
    public async Task A_template_is_rendered_on_the_record_and_its_current_version_is_sent_and_logged()
    {
        var id = "renewal-" + Id();
        await Templates.CreateAsync(new SmsTemplate { Id = id, Name = "Renewal", Body = "Hi {{ record.firstName }}, your plan renews on {{ record.renewsOn }}." });
        await Templates.ReplaceAsync(id, new SmsTemplate { Name = "Renewal", Body = "{{ record.firstName }}, your plan renews {{ record.renewsOn }}. Reply STOP to opt out." }, expectedVersion: 1);
        var wf = await host.WorkflowAsync($$$"""
            [ { "id": "text", "action": "send_sms", "params": { "to": "{{ record.phone }}", "mode": "template", "templateId": "{{{id}}}" } } ]
            """);

        var run = await host.RunAsync(wf, "S-1", new { phone = "+16502531001", firstName = "Ann", renewsOn = "1 March" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal("Ann, your plan renews 1 March. Reply STOP to opt out.", SentTo("+16502531001")["Body"]);
        var output = run.Steps[0].Output!.Value;
        Assert.Equal(id, output.GetProperty("templateId").GetString());
        Assert.Equal(2, output.GetProperty("templateVersion").GetInt32());
        Assert.StartsWith("SM", output.GetProperty("sid").GetString(), StringComparison.Ordinal);
        Assert.Empty(model.Requests);
    }

    [Fact]
    public async Task A_missing_template_fails_the_step_for_good_without_calling_twilio()
    {
        var wf = await host.WorkflowAsync("""
            [ { "id": "text", "action": "send_sms", "params": { "to": "{{ record.phone }}", "mode": "template", "templateId": "no-such-template" } } ]
            """);

        var run = await host.RunAsync(wf, "S-2", new { phone = "+16502531002" });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("SMS template 'no-such-template' does not exist", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(twilio.Requests);
    }

    [Fact]
    public async Task The_model_writes_the_text_from_the_brief_within_its_length_and_the_prompt_and_answer_are_logged()
    {
        var wf = await host.WorkflowAsync("""
            [ { "id": "text", "action": "send_sms", "params": { "to": "{{ record.phone }}", "mode": "personalized",
                "brandVoice": "Upbeat", "body": "Remind {{ record.firstName }} that the {{ record.plan }} plan renews Friday." } } ]
            """);

        var run = await host.RunAsync(wf, "S-3", new { phone = "+16502531003", firstName = "Bo", plan = "Pro" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal("Hi Bo, your renewal is due Friday. Reply YES to renew.", SentTo("+16502531003")["Body"]);
        var messages = JsonDocument.Parse(Assert.Single(model.Requests).Body).RootElement.GetProperty("messages");
        Assert.Contains("at most 160 characters", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("Upbeat", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Contains("Remind Bo that the Pro plan renews Friday.", messages[1].GetProperty("content").GetString(), StringComparison.Ordinal);
        var ai = run.Steps[0].Output!.Value.GetProperty("ai");
        Assert.Equal(160, ai.GetProperty("maxLength").GetInt32());
        Assert.Equal("Hi Bo, your renewal is due Friday. Reply YES to renew.", ai.GetProperty("answer").GetString());
        Assert.Contains("Remind Bo", ai.GetProperty("prompt")[1].GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_too_long_is_asked_for_again_and_one_too_long_twice_fails_for_good()
    {
        var calls = 0;
        model.Writer = (_, user) => Interlocked.Increment(ref calls) switch
        {
            1 => new string('x', 90),
            2 => "Short enough, " + JsonField(user, "firstName") + ".",
            _ => new string('y', 90),
        };
        var wf = await host.WorkflowAsync("""
            [ { "id": "text", "action": "send_sms", "params": { "to": "{{ record.phone }}", "mode": "personalized", "maxLength": 40, "body": "Say hello." } } ]
            """);

        var shortened = await host.RunAsync(wf, "S-4", new { phone = "+16502531004", firstName = "Cy" });
        var tooLong = await host.RunAsync(wf, "S-5", new { phone = "+16502531005", firstName = "Di" });

        Assert.Equal(RunStatus.Succeeded, shortened.Run.Status);
        Assert.Equal("Short enough, Cy.", SentTo("+16502531004")["Body"]);
        var ai = shortened.Steps[0].Output!.Value.GetProperty("ai");
        Assert.Equal(new string('x', 90), ai.GetProperty("firstAnswer").GetString());
        Assert.Contains("A first try had 90 characters", ai.GetProperty("prompt")[1].GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, tooLong.Run.Status);
        Assert.Contains("wrote 90 characters twice; the step allows 40", tooLong.Steps[0].Error, StringComparison.Ordinal);
        Assert.DoesNotContain(twilio.Requests, r => TwilioServer.Form(r).GetValueOrDefault("To") == "+16502531005");
    }

    [Fact]
    public async Task A_record_opted_out_of_sms_is_skipped_before_the_model_is_asked()
    {
        var wf = await host.WorkflowAsync("""
            [ { "id": "text", "action": "send_sms", "params": { "to": "{{ record.phone }}", "mode": "personalized", "body": "Say hello." } } ]
            """);

        var run = await host.RunAsync(wf, "S-6", new { phone = "+16502531006", firstName = "Ed", smsOptOut = true });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal(StepStatus.Skipped, run.Steps[0].Status);
        Assert.Contains("opted out of SMS", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(model.Requests);
        Assert.Empty(twilio.Requests);
    }
}
