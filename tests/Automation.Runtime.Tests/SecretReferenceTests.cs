using System.Text;
using Automation.Engine.Runs;
using Automation.Engine.Security;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary><c>${secret:NAME}</c> in a step: resolved from <c>Automation:Secrets</c> when the action runs, kept as the reference everywhere else.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SecretReferenceTests : RuntimeTest
{
    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Automation:Outbound:AllowedHosts:0"] = "127.0.0.1",
        ["Automation:Secrets:CRM_TOKEN"] = "tok-from-config",
        ["Automation:Secrets:HOOK_SIGNING"] = "signing-from-config",
    };

    [Fact]
    public async Task A_referenced_secret_is_sent_but_the_step_log_keeps_the_reference()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "By reference", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "post", "action": "call_webhook", "params": {
            "url": "{{{Receiver.Url("ref")}}}",
            "headers": { "Authorization": "Bearer ${secret:CRM_TOKEN}" },
            "body": { "note": "{{ record.note }}" },
            "secret": "${secret:HOOK_SIGNING}" } } ]
        }
        """);

        // Record data that renders to a reference stays text: only the definition's references are resolved.
        await Host.SendAsync(Json.Event("record.created", "lead", "S-1", new { note = "${secret:CRM_TOKEN}" }));
        var run = await Host.WaitForEndAsync("lead", "S-1", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var request = Assert.Single(Receiver.RequestsTo("ref"));
        Assert.Equal("Bearer tok-from-config", request.Header("Authorization"));
        Assert.Equal("""{"note":"${secret:CRM_TOKEN}"}""", request.Body);
        Assert.Equal(SignatureCheck.Valid, Signature.Verify(
            request.Header(Signature.HeaderName), ["signing-from-config"], Encoding.UTF8.GetBytes(request.Body), DateTimeOffset.UtcNow));
        var input = run.Steps[0].Input!.Value.GetRawText();
        Assert.Contains("Bearer ${secret:CRM_TOKEN}", input, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-from-config", input, StringComparison.Ordinal);
        Assert.DoesNotContain("signing-from-config", input, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_that_is_not_configured_fails_the_step_for_good_naming_it()
    {
        var wf = await Host.ActiveWorkflowAsync($$$"""
        {
          "name": "Missing", "module": "lead", "trigger": { "type": "record.created" },
          "steps": [ { "id": "post", "action": "call_webhook", "params": { "url": "{{{Receiver.Url("missing")}}}", "secret": "${secret:NOT_SET}" } } ]
        }
        """);

        await Host.SendAsync(Json.Event("record.created", "lead", "S-2", new { }));
        var run = await Host.WaitForEndAsync("lead", "S-2", wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        Assert.Equal("params.secret: the secret 'NOT_SET' is not configured (set Automation__Secrets__NOT_SET).", Assert.Single(run.Steps).Error);
        Assert.Empty(Receiver.RequestsTo("missing"));
    }
}
