using System.Globalization;
using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Model;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication;

/// <summary>A workflow that writes personalized emails cannot be activated until a language model is configured.</summary>
public sealed class PersonalizedEmailCheck(IOptions<AiOptions> options) : IActivationCheck
{
    public IEnumerable<KeyValuePair<string, string>> Problems(Workflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (options.Value.Configured)
        {
            yield break;
        }

        for (var i = 0; i < workflow.Steps.Count; i++)
        {
            var step = workflow.Steps[i];
            if (step.Action == ActionTypes.SendEmail
                && step.Params is { ValueKind: JsonValueKind.Object } p
                && p.TryGetProperty("mode", out var mode)
                && mode.ValueKind == JsonValueKind.String
                && mode.GetString() == EmailComposer.Personalized)
            {
                yield return new(
                    string.Create(CultureInfo.InvariantCulture, $"steps[{i}].params.mode"),
                    $"Step '{step.Id}' writes a personalized email, which needs a language model: set Automation:Ai:Endpoint (with ApiKey and Model) before activating this workflow.");
            }
        }
    }
}
