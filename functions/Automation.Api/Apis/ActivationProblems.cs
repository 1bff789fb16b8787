using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Runs;
using Automation.Runtime.Workflows;

namespace Automation.Api.Apis;

/// <summary>
/// A valid workflow this deployment cannot run yet (a personalized email without a language model): activating it, or
/// saving it as active, is refused with 409 and the problems under the definition paths they concern.
/// </summary>
public static class ActivationProblems
{
    /// <summary>Null when <paramref name="workflow"/> may be active here; else the 409 answer.</summary>
    public static IResult? Refuse(Workflow workflow, ActivationChecks checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var problems = checks.Check(workflow);
        if (problems.Count == 0)
        {
            return null;
        }

        return TypedResults.Problem(new HttpValidationProblemDetails(problems.ToDictionary(p => p.Key, p => p.Value))
        {
            Status = StatusCodes.Status409Conflict,
            Title = "The workflow cannot be activated",
            Detail = "This deployment lacks what the workflow needs; each problem is listed under the field it concerns. The workflow was not activated.",
        });
    }
}

/// <summary><c>GET /api/workflows/{id}/stats</c>: run counts and the workflow's email counts (total and per step).</summary>
public sealed record WorkflowStatsAnswer(long RunCount, DateTimeOffset? LastRunAt, IReadOnlyDictionary<RunStatus, long> ByStatus, EmailStatsView Email)
{
    public static WorkflowStatsAnswer From(RunStats runs, EmailStatsView email)
    {
        ArgumentNullException.ThrowIfNull(runs);
        return new(runs.RunCount, runs.LastRunAt, runs.ByStatus, email);
    }
}
