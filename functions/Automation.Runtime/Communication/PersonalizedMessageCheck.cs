using System.Globalization;
using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Model;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Communication;

/// <summary>A workflow that has a language model write its emails or texts cannot be activated until one is configured.</summary>
public sealed class PersonalizedMessageCheck(IOptions<AiOptions> options) : IActivationCheck
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
            var what = step.Action switch
            {
                ActionTypes.SendEmail when ModeOf(step) == EmailComposer.Personalized => "a personalized email",
                ActionTypes.SendSms when ModeOf(step) == SmsComposer.Personalized => "a personalized text message",
                _ => null,
            };
            if (what is not null)
            {
                yield return new(
                    string.Create(CultureInfo.InvariantCulture, $"steps[{i}].params.mode"),
                    $"Step '{step.Id}' writes {what}, which needs a language model: set Automation:Ai:Endpoint (with ApiKey and Model) before activating this workflow.");
            }
        }
    }

    private static string? ModeOf(Step step) =>
        step.Params is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty("mode", out var mode) && mode.ValueKind == JsonValueKind.String
            ? mode.GetString()
            : null;
}
