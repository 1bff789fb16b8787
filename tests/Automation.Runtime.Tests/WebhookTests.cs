using System.Text;
using Automation.Engine.Actions;
using Automation.Engine.Runs;
using Automation.Engine.Security;
using Automation.Runtime.Actions;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class WebhookTests : RuntimeTest
{
    [Fact]
    public async Task The_request_is_signed_carries_its_headers_and_the_log_masks_the_secrets()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Signed", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "post", "action": "call_webhook", "params": {
            "url": "{{{Receiver.Url("signed")}}}", "method": "PUT",
            "headers": { "Authorization": "Bearer {{ record.token }}", "X-Source": "automation" },
            "body": { "email": "{{ record.email }}", "n": 3 },
            "secret": "s3cret" } } ]
        }
        """);

        await Host.SendAsync(Json.Event("record.created", "lead", "H-1", new { email = "x@example.com", token = "tok-123" }));
        var run = await Host.WaitForEndAsync("lead", "H-1", wf.Id!);

        var request = Assert.Single(Receiver.RequestsTo("signed"));
        Assert.Equal("PUT", request.Method);
        Assert.Equal("Bearer tok-123", request.Header("Authorization"));
        Assert.Equal("automation", request.Header("X-Source"));
        Assert.Equal("""{"email":"x@example.com","n":3}""", request.Body);
        Assert.Equal(SignatureCheck.Valid, Signature.Verify(
            request.Header(Signature.HeaderName), ["s3cret"], Encoding.UTF8.GetBytes(request.Body), DateTimeOffset.UtcNow));
        var input = run.Steps[0].Input!.Value;
        Assert.Equal(SecretMasker.Mask, input.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal(SecretMasker.Mask, input.GetProperty("secret").GetString());
        Assert.Equal("x@example.com", input.GetProperty("body").GetProperty("email").GetString());
        Assert.DoesNotContain("tok-123", input.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(200, run.Steps[0].Output!.Value.GetProperty("status").GetInt32());
        Assert.True(run.Steps[0].Output!.Value.GetProperty("body").GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Without_a_body_the_record_is_sent_and_a_timeout_is_retried()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Slow", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "post", "action": "call_webhook", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 },
            "params": { "url": "{{{Receiver.Url("slow")}}}", "timeoutSeconds": 1 } } ]
        }
        """);
        Receiver.Respond("slow", new Reply(200, "{}", null, TimeSpan.FromSeconds(5)));

        await Host.SendAsync(Json.Event("record.created", "lead", "H-2", new { name = "Ann" }));
        var run = await Host.WaitForEndAsync("lead", "H-2", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Contains("timed out after 1 s", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.All(Receiver.RequestsTo("slow"), r => Assert.Equal("""{"name":"Ann"}""", r.Body));
    }

    [Fact]
    public async Task A_template_error_in_the_params_fails_the_step_for_good_naming_the_param()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Broken template", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "post", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("tpl")}}}", "body": { "x": "{{ record.name | no_such_filter }}" } } } ]
        }
        """);

        await Host.SendAsync(Json.Event("record.created", "lead", "H-3", new { name = "Ann" }));
        var run = await Host.WaitForEndAsync("lead", "H-3", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("params.body.x", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Empty(Receiver.RequestsTo("tpl"));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class OutboundGuardTests : RuntimeTest
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?> { ["Automation:Outbound:AllowedHosts:0"] = "example.invalid" };

    [Fact]
    public async Task A_loopback_address_not_allowed_is_refused_for_good()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Internal", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "post", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("internal")}}}" } } ]
        }
        """);

        await Host.SendAsync(Json.Event("record.created", "lead", "G-1"));
        var run = await Host.WaitForEndAsync("lead", "G-1", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Contains("AllowedHosts", Assert.Single(run.Steps).Error, StringComparison.Ordinal);
        Assert.Empty(Receiver.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2606:4700::1111", false)]
    public void Internal_addresses_are_recognised(string address, bool expected) =>
        Assert.Equal(expected, OutboundGuard.IsInternal(System.Net.IPAddress.Parse(address)));
}

[Collection(AzuriteCollection.Name)]
public sealed class RetryAfterCapTests : RuntimeTest
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Automation:Outbound:AllowedHosts:0"] = "127.0.0.1",
        ["Automation:Outbound:MaxRetryAfter"] = "00:00:01",
    };

    [Theory]
    [InlineData("86400", "asked to wait 24 h")]
    [InlineData("Thu, 01 Jan 2099 00:00:00 GMT", " days (Retry-After)")]
    public async Task A_retry_after_beyond_the_cap_waits_only_the_cap_and_the_log_says_so(string retryAfter, string asked)
    {
        var path = "cap-" + retryAfter.Length;
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Capped", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "post", "action": "call_webhook", "retry": { "maxAttempts": 2, "initialIntervalSeconds": 0.1 },
            "params": { "url": "{{{Receiver.Url(path)}}}" } } ]
        }
        """);
        Receiver.Respond(path, new Reply(429, "{}", new Dictionary<string, string> { ["Retry-After"] = retryAfter }), new Reply(200, "{}"));

        await Host.SendAsync(Json.Event("record.created", "lead", "RA-" + retryAfter.Length, new { }));
        var run = await Host.WaitForEndAsync("lead", "RA-" + retryAfter.Length, wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], run.Steps.Select(s => s.Status));
        Assert.Contains("(Retry-After); capped at 1 s (Automation:Outbound:MaxRetryAfter)", run.Steps[0].Error, StringComparison.Ordinal);
        Assert.Contains(asked, run.Steps[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_cap_is_one_hour()
    {
        Assert.Equal(TimeSpan.FromHours(1), new OutboundOptions().MaxRetryAfter);
        var capped = ActionHandlers.CapRetryAfter(ActionResult.Fail("Busy.", retryable: true, TimeSpan.FromDays(1)), new OutboundOptions().MaxRetryAfter);
        Assert.Equal(TimeSpan.FromHours(1), capped.Failure!.RetryAfter);
        Assert.Equal("Busy. The service asked to wait 24 h (Retry-After); capped at 60 min (Automation:Outbound:MaxRetryAfter).", capped.Failure.Message);
    }
}
