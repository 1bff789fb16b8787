using System.Net;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Host.Tests;

/// <summary>Step secrets never come back from the workflow API, and a masked definition sent back keeps them.</summary>
public sealed class WorkflowSecretsApiTests(HostFactory host) : IClassFixture<HostFactory>
{
    private const string Definition = """
        { "name": "Secrets", "module": "lead", "trigger": { "type": "record.created" }, "steps": [
          { "id": "hook", "action": "call_webhook", "params": { "url": "https://example.com/h",
            "headers": { "Authorization": "Bearer hunter2", "X-Ref": "${secret:CRM_TOKEN}" }, "secret": "sign-me" } },
          { "id": "slack", "action": "slack_message", "params": { "channel": "#sales", "botToken": "xoxb-123", "text": "Hi" } } ] }
        """;

    private static readonly string[] Secrets = ["hunter2", "sign-me", "xoxb-123"];

    [Fact]
    public async Task Create_get_versions_and_status_changes_answer_with_secrets_masked()
    {
        var client = host.Admin();
        var created = await client.PostAsync("/api/workflows", Json.Body(Definition));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadAsync()).GetProperty("id").GetString();

        var answers = new List<string> { await created.Content.ReadAsStringAsync() };
        foreach (var url in new[] { $"/api/workflows/{id}", $"/api/workflows/{id}?version=1", $"/api/workflows/{id}/versions" })
        {
            answers.Add(await client.GetStringAsync(url));
        }

        answers.Add(await (await client.PostAsync($"/api/workflows/{id}/pause", null)).Content.ReadAsStringAsync());
        foreach (var answer in answers)
        {
            Assert.All(Secrets, s => Assert.DoesNotContain(s, answer, StringComparison.Ordinal));
            Assert.Contains("***", answer, StringComparison.Ordinal);
            // A reference holds no secret: it stays readable so an admin sees which one is used.
            Assert.Contains("${secret:CRM_TOKEN}", answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_definition_sent_back_masked_keeps_the_stored_secrets()
    {
        var client = host.Admin();
        var id = (await (await client.PostAsync("/api/workflows", Json.Body(Definition))).ReadAsync()).GetProperty("id").GetString()!;
        var masked = await client.GetStringAsync($"/api/workflows/{id}");

        var replaced = await client.PutAsync($"/api/workflows/{id}", Json.Body(masked.Replace("\"Hi\"", "\"Hello\"", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var stored = await host.Services.GetRequiredService<WorkflowStore>().GetAsync(id, null);
        var hook = stored!.Steps[0].Params!.Value;
        Assert.Equal(2, stored.Version);
        Assert.Equal("Bearer hunter2", hook.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.Equal("sign-me", hook.GetProperty("secret").GetString());
        Assert.Equal("xoxb-123", stored.Steps[1].Params!.Value.GetProperty("botToken").GetString());
        Assert.Equal("Hello", stored.Steps[1].Params!.Value.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_mask_with_no_stored_secret_to_keep_is_refused_naming_the_field()
    {
        var client = host.Admin();
        var id = (await (await client.PostAsync("/api/workflows", Json.Body(Definition))).ReadAsync()).GetProperty("id").GetString()!;

        var response = await client.PutAsync($"/api/workflows/{id}", Json.Body(Definition.Replace("\"id\": \"hook\"", "\"id\": \"hook-2\"", StringComparison.Ordinal)
            .Replace("sign-me", "***", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single((await response.ReadAsync()).ErrorsAt("steps[0].params.secret"));
    }

    [Theory]
    [InlineData("\"text\": \"Hi\"", "\"text\": \"${secret:CRM_TOKEN}\"", "steps[1].params.text")]
    [InlineData("\"secret\": \"sign-me\"", "\"secret\": \"${secret:CRM_TOKEN} {{ record.id }}\"", "steps[0].params.secret")]
    [InlineData("\"secret\": \"sign-me\"", "\"secret\": \"${secret:bad name}\"", "steps[0].params.secret")]
    public async Task A_misplaced_or_malformed_secret_reference_is_a_validation_error(string find, string replacement, string path)
    {
        var response = await host.Admin().PostAsync("/api/workflows/validate", Json.Body(Definition.Replace(find, replacement, StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single((await response.ReadAsync()).ErrorsAt(path));
    }
}
