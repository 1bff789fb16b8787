using System.Net;
using System.Text.Json;

namespace Automation.Host.Tests;

public sealed class WorkflowDefinitionApiTests(HostFactory host) : IClassFixture<HostFactory>
{
    private static string Example(string name)
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Automation.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("Repository root not found.");
        }

        return File.ReadAllText(Path.Combine(dir, "docs", "examples", name));
    }

    [Fact]
    public async Task The_sample_workflow_is_valid()
    {
        var response = await host.Admin().PostAsync("/api/workflows/validate", Json.Body(Example("welcome-workflow.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.ReadAsync()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task A_bad_workflow_gets_every_error_keyed_by_its_field()
    {
        var response = await host.Admin().PostAsync("/api/workflows/validate", Json.Body("""
            { "name": "Broken", "module": "lead", "trigger": { "type": "stage.entered" },
              "conditions": { "all": [ { "field": "record.score", "op": "greater", "value": 5 } ] },
              "steps": [ { "id": "Send Mail", "action": "send_emial", "params": {} },
                         { "id": "task", "action": "create_task", "delay": { "days": 400 }, "params": { "title": "{{ record.name " } } ] }
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadAsync();
        Assert.NotEmpty(problem.ErrorsAt("trigger.stage"));
        Assert.NotEmpty(problem.ErrorsAt("conditions.all[0].op"));
        Assert.NotEmpty(problem.ErrorsAt("steps[0].id"));
        Assert.Contains("send_email", string.Join(' ', problem.ErrorsAt("steps[0].action")));
        Assert.NotEmpty(problem.ErrorsAt("steps[1].delay"));
        Assert.Contains("line 1", string.Join(' ', problem.ErrorsAt("steps[1].params.title")));
    }

    [Fact]
    public async Task The_dry_run_of_the_sample_shows_the_match_the_trace_and_the_rendered_steps()
    {
        var response = await host.Admin().PostAsync("/api/workflows/test-definition", Json.Body(Example("test-definition.json")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadAsync();
        Assert.True(result.GetProperty("trigger").GetProperty("matched").GetBoolean());
        var conditions = result.GetProperty("conditions");
        Assert.True(conditions.GetProperty("result").GetBoolean());
        var scoreLeaf = conditions.GetProperty("leaves").EnumerateArray().Single(l => l.GetProperty("field").GetString() == "record.score");
        Assert.Equal("72", scoreLeaf.GetProperty("actual").GetString());
        var steps = result.GetProperty("steps");
        Assert.Equal("Welcome, Ada", steps[0].GetProperty("params").GetProperty("subject").GetString());
        Assert.Equal("u-42", steps[1].GetProperty("params").GetProperty("assignee").GetString());
    }

    [Fact]
    public async Task A_dry_run_whose_conditions_fail_says_which_leaf_failed_and_what_it_saw()
    {
        var body = JsonDocument.Parse(Example("test-definition.json")).RootElement;
        var text = body.GetRawText().Replace("\"score\": \"72\"", "\"score\": \"12\"", StringComparison.Ordinal);

        var response = await host.Admin().PostAsync("/api/workflows/test-definition", Json.Body(text));

        var result = await response.ReadAsync();
        Assert.False(result.GetProperty("conditions").GetProperty("result").GetBoolean());
        var failed = result.GetProperty("conditions").GetProperty("leaves").EnumerateArray().Single(l => !l.GetProperty("result").GetBoolean());
        Assert.Equal("record.score", failed.GetProperty("field").GetString());
        Assert.Equal("12", failed.GetProperty("actual").GetString());
    }

    [Fact]
    public async Task A_dry_run_with_a_bad_workflow_and_event_names_both_fields()
    {
        var response = await host.Admin().PostAsync("/api/workflows/test-definition", Json.Body("""
            { "workflow": { "name": "x", "module": "lead", "trigger": { "type": "nope" }, "steps": [] },
              "event": { "type": "record.created" } }
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadAsync();
        Assert.NotEmpty(problem.ErrorsAt("workflow.trigger.type"));
        Assert.NotEmpty(problem.ErrorsAt("event.module"));
        Assert.NotEmpty(problem.ErrorsAt("event.recordId"));
    }

    [Fact]
    public async Task The_action_registry_lists_every_action_with_its_parameters()
    {
        var response = await host.Admin().GetAsync("/api/actions");

        var actions = await response.ReadAsync();
        var email = actions.EnumerateArray().Single(a => a.GetProperty("type").GetString() == "send_email");
        Assert.Equal(20, actions.GetArrayLength());
        Assert.Contains(actions.EnumerateArray(), a => a.GetProperty("type").GetString() == "create_record");
        Assert.Contains(email.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "subject");
    }
}
