using System.Text.Json.Nodes;
using Automation.Engine.Validation;

namespace Automation.Engine.Tests.Validation;

/// <summary>A valid definition to start from, and assertions that name the one path a mistake must land on.</summary>
internal static class Definitions
{
    // No template markup here, so that tests of other rules do not depend on the template checker.
    public const string ValidJson = """
        {
          "name": "Welcome new web leads",
          "module": "lead",
          "trigger": { "type": "record.created" },
          "conditions": { "all": [
            { "field": "record.source", "op": "eq", "value": "Web Form" },
            { "field": "record.score", "op": "gte", "value": 50 } ] },
          "enrollment": "once",
          "steps": [
            { "id": "welcome", "action": "send_email",
              "params": { "to": "lead@example.com", "subject": "Welcome", "body": "Thanks for your interest." } },
            { "id": "call-task", "action": "create_task", "delay": { "days": 2 },
              "params": { "title": "Follow-up call", "assignee": "user-7", "dueInDays": 2 } }
          ],
          "exitConditions": { "any": [ { "field": "record.status", "op": "eq", "value": "customer" } ] }
        }
        """;

    public static JsonObject Valid() => JsonNode.Parse(ValidJson)!.AsObject();

    public static JsonObject With(Action<JsonObject> change)
    {
        var definition = Valid();
        change(definition);
        return definition;
    }

    /// <summary>The valid definition with its first step replaced.</summary>
    public static JsonObject WithStep(string stepJson) => With(d => d["steps"]![0] = JsonNode.Parse(stepJson));

    /// <summary>The valid definition with a step of this action and these params as its first step.</summary>
    public static JsonObject WithAction(string action, string paramsJson) =>
        With(d => d["steps"]![0] = new JsonObject
        {
            ["id"] = "the-step",
            ["action"] = action,
            ["params"] = JsonNode.Parse(paramsJson),
        });

    public static JsonObject WithTrigger(string triggerJson) => With(d => d["trigger"] = JsonNode.Parse(triggerJson));

    public static JsonObject WithConditions(string conditionsJson) => With(d => d["conditions"] = JsonNode.Parse(conditionsJson));

    public static ValidationResult Validate(JsonNode definition) => WorkflowValidator.Validate(definition.ToJsonString());

    /// <summary>Asserts that validation fails with exactly one error path and returns its messages.</summary>
    public static string AssertOnlyError(JsonNode definition, string path, string fragment)
    {
        var result = Validate(definition);
        Assert.False(result.Valid);
        Assert.Null(result.Workflow);
        Assert.True(
            result.Errors.Count == 1 && result.Errors.ContainsKey(path),
            $"Expected only '{path}', got: {Describe(result)}");
        var message = string.Join(" | ", result.Errors[path]);
        Assert.Contains(fragment, message, StringComparison.Ordinal);
        return message;
    }

    public static void AssertValid(JsonNode definition)
    {
        var result = Validate(definition);
        Assert.True(result.Valid, Describe(result));
        Assert.NotNull(result.Workflow);
    }

    public static string Describe(ValidationResult result) =>
        string.Join("; ", result.Errors.Select(e => $"{e.Key}: {string.Join(" | ", e.Value)}"));
}
