using Automation.Engine.Model;

namespace Automation.Engine.Conditions;

/// <summary>Evaluates condition trees over an <see cref="EvaluationScope"/>.</summary>
public static class ConditionEvaluator
{
    /// <summary>
    /// Evaluates <paramref name="condition"/> (null is true). <paramref name="basePath"/> prefixes the leaf paths
    /// in the trace (<c>conditions</c>, <c>exitConditions</c>, <c>steps[2].condition</c>).
    /// </summary>
    public static ConditionTrace Evaluate(Condition? condition, EvaluationScope scope, string basePath = "conditions")
    {
        // TODO(issue 3): implemented in the conditions slice.
        throw new NotImplementedException();
    }
}
