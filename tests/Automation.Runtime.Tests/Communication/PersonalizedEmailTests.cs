using System.Text.Json;
using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary>Personalized mode: a language model behind an OpenAI-compatible endpoint writes the body from the record.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PersonalizedEmailTests : IAsyncLifetime
{
    private ChatCompletionsServer model = null!;
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        await MailDev.EnsureRunningAsync();
        model = await ChatCompletionsServer.StartAsync();
        host = await RuntimeHost.StartAsync(settings: Settings(
            ("Automation:Ai:Endpoint", model.Endpoint),
            ("Automation:Ai:ApiKey", ChatCompletionsServer.ApiKey),
            ("Automation:Ai:Model", ChatCompletionsServer.Model)));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await model.DisposeAsync();
    }

    private Task<Engine.Model.Workflow> WorkflowAsync() => host.WorkflowAsync("""
        [ { "id": "confirm", "action": "send_email", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 }, "params": {
              "mode": "personalized", "to": "{{ record.email }}", "subject": "You are qualified, {{ record.firstName }}",
              "brandVoice": "Warm and brief, like a trusted advisor.",
              "body": "Confirm that {{ record.company }} is now a sales-qualified lead and offer a call." } } ]
        """);

    [Fact]
    public async Task The_model_writes_the_body_from_the_record_and_the_prompt_and_answer_are_logged()
    {
        var to = MailDev.Address();

        var run = await host.RunAsync(await WorkflowAsync(), "P-1", new { email = to, firstName = "Ann", company = "Acme" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var request = Assert.Single(model.Requests);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal(ChatCompletionsServer.Model, body.GetProperty("model").GetString());
        var messages = body.GetProperty("messages");
        Assert.Contains("Warm and brief, like a trusted advisor.", messages[0].GetProperty("content").GetString(), StringComparison.Ordinal);
        var user = messages[1].GetProperty("content").GetString()!;
        Assert.Contains("\"firstName\":\"Ann\"", user, StringComparison.Ordinal);
        Assert.Contains("Confirm that Acme is now a sales-qualified lead", user, StringComparison.Ordinal);

        var m = Assert.Single(await MailDev.WaitForAsync(to)).Message;
        Assert.Equal("You are qualified, Ann", m.Subject);
        Assert.StartsWith("Hello Ann,", m.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Hello Ann,</p>", m.HtmlBody, StringComparison.Ordinal);

        var ai = run.Steps[0].Output!.Value.GetProperty("ai");
        Assert.Equal(ChatCompletionsServer.Model, ai.GetProperty("model").GetString());
        Assert.Equal(user, ai.GetProperty("prompt")[1].GetProperty("content").GetString());
        Assert.StartsWith("Hello Ann,", ai.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_error_on_its_side_is_retried()
    {
        var to = MailDev.Address();
        model.FailNext(ChatCompletionsServer.Error(503, "The server is overloaded.", "server_error"));

        var run = await host.RunAsync(await WorkflowAsync(), "P-2", new { email = to, firstName = "Bo", company = "Beta" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Contains("The language model answered 503: The server is overloaded.", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Single(await MailDev.WaitForAsync(to));
    }

    [Fact]
    public async Task A_refused_request_fails_the_step_for_good_and_sends_nothing()
    {
        var to = MailDev.Address();
        model.FailNext(ChatCompletionsServer.Error(401, "Incorrect API key provided.", "invalid_request_error"));

        var run = await host.RunAsync(await WorkflowAsync(), "P-3", new { email = to, firstName = "Cy", company = "Gamma" });

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal(StepStatus.Failed, Assert.Single(run.Steps).Status);
        Assert.Contains("401", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(await MailDev.ReceivedByAsync(to));
    }

    [Fact]
    public async Task A_record_that_opted_out_is_skipped_before_the_model_is_asked()
    {
        var to = MailDev.Address();

        var run = await host.RunAsync(await WorkflowAsync(), "P-4", new { email = to, firstName = "Di", company = "Delta", emailOptOut = true });

        Assert.Equal(StepStatus.Skipped, Assert.Single(run.Steps).Status);
        Assert.DoesNotContain(model.Requests, r => r.Body.Contains("Delta", StringComparison.Ordinal));
    }
}
