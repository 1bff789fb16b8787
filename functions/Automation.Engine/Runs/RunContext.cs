using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;

namespace Automation.Engine.Runs;

/// <summary>The <c>run</c> object conditions and templates see (<see cref="Model.EvaluationScope.Run"/>).</summary>
public static class RunContext
{
    /// <summary>
    /// <c>{ id, workflowId, version, status, startedAt, stepsExecuted, attempt, steps: { &lt;stepId&gt;: &lt;output&gt; } }</c>;
    /// <c>steps</c> holds the outputs of the steps that succeeded so far (a step's output is null when it had none).
    /// </summary>
    public static JsonElement Build(RunState run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var steps = run.Outputs is { ValueKind: JsonValueKind.Object } outputs
            ? JsonObject.Create(outputs) ?? new JsonObject()
            : new JsonObject();
        var context = new JsonObject
        {
            ["id"] = run.RunId,
            ["workflowId"] = run.WorkflowId,
            ["version"] = run.WorkflowVersion,
            ["status"] = JsonSerializer.SerializeToNode(run.Status, EngineJson.Options),
            ["startedAt"] = JsonSerializer.SerializeToNode(run.CreatedAt, EngineJson.Options),
            ["stepsExecuted"] = run.StepsExecuted,
            ["attempt"] = run.Attempt,
            ["steps"] = steps,
        };
        return JsonSerializer.SerializeToElement(context, EngineJson.Options);
    }
}
