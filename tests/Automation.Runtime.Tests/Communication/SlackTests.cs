using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary><c>slack_message</c> against a local server that answers as Slack's webhooks and Web API do.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SlackTests : IAsyncLifetime
{
    private SlackServer slack = null!;
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        slack = await SlackServer.StartAsync();
        host = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Slack:ApiBaseUrl", slack.ApiBaseUrl),
            ("Automation:Slack:BotToken", SlackServer.BotToken)));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await slack.DisposeAsync();
    }

    private Task<Engine.Model.Workflow> WorkflowAsync(string parameters) => host.WorkflowAsync($$$"""
        [ { "id": "post", "action": "slack_message", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 }, "params": {{{parameters}}} } ]
        """);

    [Fact]
    public async Task A_webhook_message_is_posted_as_json_and_slack_s_ok_is_the_output()
    {
        var wf = await WorkflowAsync($$$"""{ "webhookUrl": "{{{slack.WebhookUrl}}}", "text": "New lead: {{ record.name }}", "blocks": [ { "type": "section", "text": { "type": "mrkdwn", "text": "*{{ record.name }}*" } } ] }""");

        var run = await host.RunAsync(wf, "K-1", new { name = "Acme" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var request = Assert.Single(slack.Requests);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("New lead: Acme", body.GetProperty("text").GetString());
        Assert.Equal("*Acme*", body.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("ok", run.Steps[0].Output.Text("body"));
        Assert.Equal("***", run.Steps[0].Input.Text("webhookUrl"));
    }

    [Fact]
    public async Task A_webhook_slack_does_not_know_fails_for_good()
    {
        var wf = await WorkflowAsync($$$"""{ "webhookUrl": "{{{slack.BaseUrl}}}/services/T0/B0/revoked", "text": "Hi" }""");

        var run = await host.RunAsync(wf, "K-2", new { });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal("The Slack webhook answered 404: no_service", Assert.Single(run.Steps).Error);
    }

    [Fact]
    public async Task A_channel_message_uses_the_configured_bot_token_and_returns_channel_and_ts()
    {
        var wf = await WorkflowAsync("""{ "channel": "#sales", "text": "{{ record.name }} entered SQL" }""");

        var run = await host.RunAsync(wf, "K-3", new { name = "Acme" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var request = Assert.Single(slack.Requests);
        Assert.Equal("/api/chat.postMessage", request.Path);
        Assert.Equal("Bearer " + SlackServer.BotToken, request.Header("Authorization"));
        Assert.Equal("#sales", JsonDocument.Parse(request.Body).RootElement.GetProperty("channel").GetString());
        Assert.Equal("C0SALES", run.Steps[0].Output.Text("channel"));
        Assert.Equal("1700000000.000100", run.Steps[0].Output.Text("ts"));
    }

    [Theory]
    [InlineData("""{ "channel": "#nowhere", "text": "Hi" }""", "channel_not_found")]
    [InlineData("""{ "channel": "#sales", "botToken": "xoxb-wrong", "text": "Hi" }""", "invalid_auth")]
    public async Task Slack_s_not_ok_answers_fail_the_step_for_good(string parameters, string error)
    {
        var wf = await WorkflowAsync(parameters);

        var run = await host.RunAsync(wf, "K-4-" + error, new { });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        var log = Assert.Single(run.Steps);
        Assert.Equal($"Slack chat.postMessage answered 200: {error}", log.Error);
        Assert.Equal("false", log.Output.Text("ok"));
    }

    [Fact]
    public async Task A_rate_limit_is_retried()
    {
        slack.FailNext(new Answer(429, """{ "ok": false, "error": "ratelimited" }""", Headers: new Dictionary<string, string> { ["Retry-After"] = "0" }));
        var wf = await WorkflowAsync("""{ "channel": "#support", "text": "Hi" }""");

        var run = await host.RunAsync(wf, "K-5", new { });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Contains("ratelimited", run.Steps[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_not_ok_answer_slack_marks_as_its_own_failure_is_retried()
    {
        slack.FailNext(SlackServer.Api(false, "internal_error"));
        var wf = await WorkflowAsync("""{ "channel": "#support", "text": "Hi" }""");

        var run = await host.RunAsync(wf, "K-6", new { });

        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
    }

    [Fact]
    public async Task A_webhook_on_a_private_address_not_allowed_is_refused_without_a_request()
    {
        await using var guarded = await RuntimeHost.StartAsync(settings: Settings(("Automation:Outbound:AllowedHosts:0", "example.invalid")));
        var wf = await guarded.WorkflowAsync($$$"""[ { "id": "post", "action": "slack_message", "params": { "webhookUrl": "{{{slack.WebhookUrl}}}", "text": "Hi" } } ]""");

        var run = await guarded.RunAsync(wf, "K-7", new { });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("Automation:Outbound:AllowedHosts", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Empty(slack.Requests);
    }
}
