using Automation.Engine.Runs;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>Validation follows the registry: for every action, the smallest complete params pass and each required one is enforced.</summary>
public class RegistryDrivenValidationTests
{
    public static TheoryData<string> Types => new(ActionRegistry.Types);

    [Theory]
    [MemberData(nameof(Types))]
    public void The_smallest_complete_params_of_each_action_pass(string type)
    {
        AssertValid(WithAction(type, Minimal(ActionRegistry.Get(type)).ToJsonString()));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Leaving_out_any_required_param_of_each_action_names_it(string type)
    {
        var action = ActionRegistry.Get(type);
        foreach (var required in action.Parameters.Where(p => p.Required))
        {
            var parameters = Minimal(action);
            parameters.Remove(required.Name);

            AssertOnlyError(WithAction(type, parameters.ToJsonString()), $"steps[0].params.{required.Name}", "is required");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_param_of_each_action_accepts_a_sample_of_its_type(string type)
    {
        var action = ActionRegistry.Get(type);
        var parameters = Minimal(action);
        foreach (var p in action.Parameters)
        {
            parameters[p.Name] = Sample(p);
        }

        AssertValid(WithAction(type, parameters.ToJsonString()));
    }

    private static JsonObject Minimal(ActionDescriptor action)
    {
        var parameters = new JsonObject();
        foreach (var p in action.Parameters.Where(p => p.Required))
        {
            parameters[p.Name] = Sample(p);
        }

        foreach (var name in action.RequiredChoices.SelectMany(c => c.Options[0]))
        {
            parameters[name] = Sample(action.Parameter(name)!);
        }

        // A chosen value may make another parameter required (strategy fixed needs ownerId).
        foreach (var p in action.Parameters.Where(p => p.RequiredWhen is { } w && parameters[w.Parameter] is { } v && w.Values.Contains(v.GetValue<string>())))
        {
            parameters[p.Name] = Sample(p);
        }

        return parameters;
    }

    private static JsonNode Sample(ActionParameter p) => p.Type switch
    {
        _ when p.AllowedValues is { } allowed => allowed[0],
        _ when p.Name == "module" => "project",
        _ when p.Name == SendWindow.Parameter => new JsonObject { ["days"] = new JsonArray("mon", "fri"), ["start"] = "09:00", ["end"] = "17:00", ["timeZone"] = "Europe/Paris" },
        ActionParameterType.Number => p.Minimum ?? 1,
        ActionParameterType.Boolean => true,
        ActionParameterType.Object => new JsonObject { ["key"] = "value" },
        ActionParameterType.Array => new JsonArray(new JsonObject { ["key"] = "value" }),
        ActionParameterType.Email => "someone@example.com",
        ActionParameterType.Url => "https://example.com/path",
        ActionParameterType.Phone => "+14155550123",
        ActionParameterType.DateTime => "2025-01-31T09:00:00Z",
        _ => "some text",
    };
}
