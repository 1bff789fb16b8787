using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Validation;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

public class WorkflowValidatorDocumentTests
{
    [Fact]
    public void A_valid_definition_is_valid_and_comes_back_deserialized()
    {
        var result = WorkflowValidator.Validate(ValidJson);

        Assert.True(result.Valid, Describe(result));
        Assert.Empty(result.Errors);
        var workflow = Assert.IsType<Workflow>(result.Workflow);
        Assert.Equal("Welcome new web leads", workflow.Name);
        Assert.Equal("lead", workflow.Module);
        Assert.Equal(TriggerTypes.RecordCreated, workflow.Trigger.Type);
        Assert.Equal(["welcome", "call-task"], workflow.Steps.Select(s => s.Id));
        Assert.Equal(2, workflow.Steps[1].Delay!.Days);
        var all = Assert.IsType<AllCondition>(workflow.Conditions);
        Assert.Equal(ConditionOperator.Gte, Assert.IsType<LeafCondition>(all.All[1]).Op);
        Assert.IsType<AnyCondition>(workflow.ExitConditions);
    }

    [Fact]
    public void The_JsonElement_and_utf8_overloads_agree_with_the_string_one()
    {
        var broken = With(d => d["module"] = "Lead").ToJsonString();
        using var document = JsonDocument.Parse(broken);

        var fromString = WorkflowValidator.Validate(broken);
        var fromElement = WorkflowValidator.Validate(document.RootElement);
        var fromBytes = WorkflowValidator.Validate(Encoding.UTF8.GetBytes(broken));

        Assert.Equal(["module"], fromString.Errors.Keys);
        Assert.Equal(fromString.Errors.Keys, fromElement.Errors.Keys);
        Assert.Equal(fromString.Errors.Keys, fromBytes.Errors.Keys);
        Assert.True(WorkflowValidator.Validate(JsonDocument.Parse(ValidJson).RootElement).Valid);
    }

    [Fact]
    public void A_definition_over_256_KB_is_refused_at_the_root_without_reading_further()
    {
        var huge = With(d =>
        {
            d["description"] = new string('x', WorkflowValidator.MaxDefinitionBytes);
            d["module"] = "NOT VALID";
        }).ToJsonString();

        var result = WorkflowValidator.Validate(huge);

        Assert.Equal([ValidationResult.RootPath], result.Errors.Keys);
        Assert.Contains("the limit is 256 KB", result.Errors["$"][0], StringComparison.Ordinal);
        Assert.Equal(["$"], WorkflowValidator.Validate(Encoding.UTF8.GetBytes(huge)).Errors.Keys);
        using var document = JsonDocument.Parse(huge);
        Assert.Equal(["$"], WorkflowValidator.Validate(document.RootElement).Errors.Keys);
    }

    [Fact]
    public void The_size_limit_counts_utf8_bytes_not_characters()
    {
        // 'é' is two bytes: 140 000 characters are 280 000 bytes, over the limit. (EngineJson does not escape it.)
        var wide = With(d => d["description"] = new string('é', 140_000)).ToJsonString(EngineJson.Options);

        Assert.True(wide.Length < WorkflowValidator.MaxDefinitionBytes);
        Assert.Equal(["$"], WorkflowValidator.Validate(wide).Errors.Keys);
    }

    [Fact]
    public void Malformed_json_is_reported_at_the_root_with_line_and_column()
    {
        var result = WorkflowValidator.Validate("{\n  \"name\": \"x\",\n  \"module\" \"lead\"\n}");

        var message = Assert.Single(result.Errors["$"]);
        Assert.Contains("not valid JSON at line 3", message, StringComparison.Ordinal);
        Assert.Null(result.Workflow);
    }

    [Theory]
    [InlineData("[]", "not a list")]
    [InlineData("\"workflow\"", "not text")]
    [InlineData("42", "not a number")]
    [InlineData("null", "not null")]
    public void A_definition_that_is_not_an_object_is_refused_at_the_root(string json, string fragment)
    {
        var message = Assert.Single(WorkflowValidator.Validate(json).Errors["$"]);
        Assert.Contains("must be a JSON object", message, StringComparison.Ordinal);
        Assert.Contains(fragment, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Six_different_mistakes_give_six_paths_at_once()
    {
        var definition = With(d =>
        {
            d.Remove("name");
            d["module"] = "Lead Module";
            d["trigger"]!["type"] = "record.exploded";
            d["conditions"]!["all"]![1]!["op"] = "greater";
            d["steps"]![0]!["params"]!.AsObject().Remove("subject");
            d["steps"]![1]!["delay"] = JsonNode.Parse("""{ "days": 400 }""");
        });

        var result = Validate(definition);

        Assert.False(result.Valid);
        Assert.Equal(
            new[] { "name", "module", "trigger.type", "conditions.all[1].op", "steps[0].params", "steps[1].delay" }.Order(),
            result.Errors.Keys.Order());
        Assert.Contains("Unknown operator 'greater'. Use one of: eq, neq,", result.Errors["conditions.all[1].op"][0], StringComparison.Ordinal);
        Assert.Equal("A delay cannot be longer than 365 days.", result.Errors["steps[1].delay"][0]);
    }

    [Fact]
    public void Errors_survive_a_round_trip_as_a_problem_details_errors_map()
    {
        var result = Validate(With(d => d["enrollment"] = "always"));

        var json = JsonSerializer.Serialize(result.Errors, EngineJson.Options);

        Assert.Equal("""{"enrollment":["'enrollment' must be one of: once, every_time (not 'always')."]}""", json);
    }

    [Fact]
    public void Unknown_top_level_properties_are_ignored()
    {
        AssertValid(With(d =>
        {
            d["color"] = "blue";
            d["folder"] = new JsonObject { ["name"] = "Marketing" };
        }));
    }

    [Fact]
    public void Server_managed_properties_may_be_echoed_back()
    {
        var definition = With(d =>
        {
            d["id"] = "wf-123";
            d["version"] = 4;
            d["createdAt"] = "2025-01-31T09:00:00Z";
            d["updatedAt"] = "2025-02-01T10:00:00+01:00";
        });

        var workflow = Validate(definition).Workflow!;

        Assert.Equal("wf-123", workflow.Id);
        Assert.Equal(4, workflow.Version);
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 9, 0, 0, TimeSpan.Zero), workflow.CreatedAt);
    }

    [Theory]
    [InlineData("id", "42", "id")]
    [InlineData("version", "\"four\"", "version")]
    [InlineData("version", "-1", "version")]
    [InlineData("createdAt", "\"last tuesday\"", "createdAt")]
    public void Server_managed_properties_of_the_wrong_kind_are_errors(string property, string json, string path)
    {
        AssertOnlyError(With(d => d[property] = JsonNode.Parse(json)), path, property);
    }

    [Fact]
    public void Step_params_come_back_in_the_deserialized_workflow()
    {
        var workflow = WorkflowValidator.Validate(ValidJson).Workflow!;

        var step = workflow.Steps[0];
        Assert.Equal(ActionTypes.SendEmail, step.Action);
        Assert.Equal("Welcome", step.Params!.Value.GetProperty("subject").GetString());
    }
}
