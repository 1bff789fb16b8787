using System.Text.Json;

namespace Automation.Host.Tests;

/// <summary>The OpenAPI document describes the bodies events and workflows are posted with, and the statuses they answer.</summary>
public sealed class OpenApiDocumentTests(HostFactory host) : IClassFixture<HostFactory>
{
    private async Task<JsonElement> DocumentAsync() => await (await host.CreateClient().GetAsync("/openapi/v1.json")).ReadAsync();

    private static JsonElement Schema(JsonElement document, JsonElement operation)
    {
        var schema = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        return schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
    }

    [Fact]
    public async Task Events_and_workflows_have_request_schemas_and_creating_a_workflow_answers_201()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");

        var events = Schema(document, paths.GetProperty("/api/events").GetProperty("post")).GetProperty("properties");
        foreach (var name in new[] { "id", "type", "module", "recordId", "occurredAt", "record", "previous", "data" })
        {
            Assert.True(events.TryGetProperty(name, out _), $"The event schema lacks '{name}'.");
        }

        var create = paths.GetProperty("/api/workflows").GetProperty("post");
        var workflow = Schema(document, create).GetProperty("properties");
        foreach (var name in new[] { "name", "module", "trigger", "conditions", "enrollment", "steps", "exitConditions" })
        {
            Assert.True(workflow.TryGetProperty(name, out _), $"The workflow schema lacks '{name}'.");
        }

        var responses = create.GetProperty("responses");
        Assert.True(responses.TryGetProperty("201", out _), "POST /api/workflows answers 201.");
        Assert.False(responses.TryGetProperty("200", out _), "POST /api/workflows never answers 200.");

        Assert.True(Schema(document, paths.GetProperty("/api/workflows/test-definition").GetProperty("post")).GetProperty("properties").TryGetProperty("event", out _));
        Assert.True(paths.GetProperty("/api/workflows/validate").GetProperty("post").TryGetProperty("requestBody", out _));
    }
}
