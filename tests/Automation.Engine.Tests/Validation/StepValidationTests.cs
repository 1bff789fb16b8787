using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Validation;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>Step list, ids, actions and params objects. Param contents: <see cref="ParameterValidationTests"/>.</summary>
public class StepValidationTests
{
    [Fact]
    public void Steps_are_required()
    {
        AssertOnlyError(With(d => d.Remove("steps")), "steps", "needs at least one step");
    }

    [Fact]
    public void An_empty_step_list_is_refused_because_a_workflow_needs_at_least_one_step()
    {
        AssertOnlyError(With(d => d["steps"] = new JsonArray()), "steps", "needs at least one step");
    }

    [Fact]
    public void Steps_must_be_a_list()
    {
        AssertOnlyError(With(d => d["steps"] = new JsonObject()), "steps", "must be a list of steps, not an object");
    }

    [Fact]
    public void A_hundred_steps_are_allowed_but_not_a_hundred_and_one()
    {
        AssertValid(With(d => d["steps"] = Notes(WorkflowValidator.MaxSteps)));
        AssertOnlyError(With(d => d["steps"] = Notes(WorkflowValidator.MaxSteps + 1)), "steps", "at most 100 steps; this one has 101");
    }

    [Fact]
    public void A_step_must_be_an_object()
    {
        AssertOnlyError(With(d => d["steps"]![1] = "send_email"), "steps[1]", "must be an object with an id and an action");
    }

    [Theory]
    [InlineData("welcome")]
    [InlineData("call-task-2")]
    [InlineData("1")]
    public void Step_ids_of_lowercase_letters_digits_and_dashes_pass(string id)
    {
        AssertValid(With(d => d["steps"]![0]!["id"] = id));
    }

    [Fact]
    public void Step_ids_may_have_64_characters()
    {
        AssertValid(With(d => d["steps"]![0]!["id"] = new string('a', 64)));
    }

    [Theory]
    [InlineData("Send Email")]
    [InlineData("send_email")]
    [InlineData("Welcome")]
    [InlineData("wélcome")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Other_step_ids_are_refused_with_the_rule_spelled_out(string id)
    {
        AssertOnlyError(
            With(d => d["steps"]![0]!["id"] = id),
            "steps[0].id",
            $"Step id '{(id.Length > 60 ? id[..57] + "..." : id)}' must use lowercase letters, digits and dashes (1-64 characters).");
    }

    [Fact]
    public void A_step_id_is_required()
    {
        AssertOnlyError(With(d => d["steps"]![1]!.AsObject().Remove("id")), "steps[1].id", "Each step needs an id");
    }

    [Fact]
    public void A_duplicate_step_id_is_reported_on_the_later_step()
    {
        var definition = With(d =>
        {
            var steps = d["steps"]!.AsArray();
            steps.Add(JsonNode.Parse("""{ "id": "note", "action": "add_note", "params": { "body": "one" } }"""));
            steps.Add(JsonNode.Parse("""{ "id": "welcome", "action": "add_note", "params": { "body": "two" } }"""));
        });

        AssertOnlyError(definition, "steps[3].id", "Step id 'welcome' is already used by steps[0]; step ids must be unique.");
    }

    [Fact]
    public void An_action_is_required()
    {
        AssertOnlyError(WithStep("""{ "id": "a", "params": {} }"""), "steps[0].action", "Each step needs an action. Use one of: send_email");
    }

    [Fact]
    public void An_unknown_action_lists_every_known_one()
    {
        var message = AssertOnlyError(
            WithStep("""{ "id": "a", "action": "send_mail", "params": { "to": "x@example.com" } }"""),
            "steps[0].action",
            "Unknown action 'send_mail'. Use one of: ");

        Assert.All(ActionRegistry.Types, type => Assert.Contains(type, message, StringComparison.Ordinal));
    }

    [Fact]
    public void Params_must_be_an_object()
    {
        AssertOnlyError(WithStep("""{ "id": "a", "action": "add_note", "params": ["hello"] }"""), "steps[0].params", "Params must be an object");
    }

    [Fact]
    public void Missing_params_report_each_required_parameter()
    {
        var result = Validate(WithStep("""{ "id": "a", "action": "notify_team" }"""));

        Assert.Equal(["steps[0].params.team", "steps[0].params.subject", "steps[0].params.body"], result.Errors.Keys);
    }

    [Fact]
    public void A_step_name_must_be_text()
    {
        AssertValid(WithStep("""{ "id": "a", "name": "Say hello", "action": "add_note", "params": { "body": "hi" } }"""));
        AssertOnlyError(WithStep("""{ "id": "a", "name": 5, "action": "add_note", "params": { "body": "hi" } }"""), "steps[0].name", "must be text");
    }

    private static JsonArray Notes(int count) =>
        new(Enumerable.Range(0, count)
            .Select(i => (JsonNode)new JsonObject
            {
                ["id"] = $"note-{i}",
                ["action"] = "add_note",
                ["params"] = new JsonObject { ["body"] = "hello" },
            })
            .ToArray());
}
