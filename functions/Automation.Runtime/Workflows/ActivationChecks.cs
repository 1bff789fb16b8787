using Automation.Engine.Model;

namespace Automation.Runtime.Workflows;

/// <summary>
/// Something a valid workflow needs from this deployment before it may run (a language model for personalized emails,
/// say). The host asks every registered check when a workflow is activated, or saved as active, and refuses with the
/// problems keyed by the definition's paths.
/// </summary>
public interface IActivationCheck
{
    IEnumerable<KeyValuePair<string, string>> Problems(Workflow workflow);
}

/// <summary>All registered checks at once.</summary>
public sealed class ActivationChecks(IEnumerable<IActivationCheck> checks)
{
    /// <summary>The problems by definition path; empty when the workflow may be activated.</summary>
    public IReadOnlyDictionary<string, string[]> Check(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return checks
            .SelectMany(c => c.Problems(workflow))
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Value).ToArray(), StringComparer.Ordinal);
    }
}
