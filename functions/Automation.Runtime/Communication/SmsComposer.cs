using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Templates;
using Automation.Runtime.Actions;

namespace Automation.Runtime.Communication;

/// <summary>A text message's body as composed for a step, and what the step log keeps of how; or the step's outcome instead.</summary>
public sealed record ComposedSms(string? Body, JsonObject Log, ActionResult? Instead);

/// <summary>
/// The body of a <c>send_sms</c> step, by mode: none, the rendered <c>body</c>; <c>template</c>, the current version of
/// the saved SMS template rendered on the record; <c>personalized</c>, written by the language model from the record and
/// the step's body (the brief) in the <c>brandVoice</c>, within <c>maxLength</c> characters (asked once more when the
/// first answer is too long). The template's id and version, or the prompt and answer, go into the step log.
/// </summary>
public sealed class SmsComposer(SmsTemplateStore templates, TemplateRenderer renderer, ChatCompletions ai)
{
    public const string Template = "template";
    public const string Personalized = "personalized";

    /// <summary>One message of 7-bit text; the length a personalized text keeps to unless the step says otherwise.</summary>
    public const int DefaultMaxLength = 160;

    public async Task<ComposedSms> ComposeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        var log = new JsonObject();
        var mode = StepParams.Text(p, "mode");
        if (string.Equals(mode, Template, StringComparison.Ordinal))
        {
            return await FromTemplateAsync(context, log, cancellationToken);
        }

        var body = StepParams.Text(p, "body");
        if (body is null)
        {
            return new(null, log, ActionResult.Fail("params.body: the message rendered empty.", retryable: false));
        }

        return string.Equals(mode, Personalized, StringComparison.Ordinal)
            ? await WriteAsync(context, body, log, cancellationToken)
            : Checked(body, log);
    }

    private async Task<ComposedSms> FromTemplateAsync(ActionContext context, JsonObject log, CancellationToken cancellationToken)
    {
        var id = StepParams.Text(context.Params, "templateId")?.Trim();
        if (id is null)
        {
            return new(null, log, ActionResult.Fail("params.templateId: it rendered empty.", retryable: false));
        }

        if (await templates.GetAsync(id, null, cancellationToken) is not { } template)
        {
            return new(null, log, ActionResult.Fail($"params.templateId: SMS template '{id}' does not exist.", retryable: false));
        }

        log["templateId"] = template.Id;
        log["templateVersion"] = template.Version;
        var rendered = renderer.Render(template.Body ?? "", context.Scope);
        if (rendered.Error is { } error)
        {
            return new(null, log, ActionResult.Fail(
                Json(log),
                string.Create(CultureInfo.InvariantCulture, $"SMS template '{template.Id}' (version {template.Version}) failed to render: {error.Message}"),
                retryable: false));
        }

        return string.IsNullOrWhiteSpace(rendered.Output)
            ? new(null, log, ActionResult.Fail(Json(log), $"SMS template '{template.Id}' rendered empty for this record.", retryable: false))
            : Checked(rendered.Output.Trim(), log);
    }

    private async Task<ComposedSms> WriteAsync(ActionContext context, string brief, JsonObject log, CancellationToken cancellationToken)
    {
        var max = (int)(StepParams.Number(context.Params, "maxLength") ?? DefaultMaxLength);
        var system = SystemPrompt(StepParams.Text(context.Params, "brandVoice"), max);
        var user = UserPrompt(context.Scope, brief);
        var answer = await ai.CompleteAsync(system, user, cancellationToken);
        var ai1 = new JsonObject { ["model"] = answer.Model, ["maxLength"] = max, ["prompt"] = answer.Messages.DeepClone(), ["answer"] = answer.Answer };
        log["ai"] = ai1;
        if (answer.Ok && answer.Answer!.Length > max)
        {
            // Models count characters loosely: say how far over it went and ask once more.
            var again = await ai.CompleteAsync(system, Shorter(user, answer.Answer, max), cancellationToken);
            ai1["firstAnswer"] = answer.Answer;
            ai1["prompt"] = again.Messages.DeepClone();
            ai1["answer"] = again.Answer;
            answer = again;
        }

        if (!answer.Ok)
        {
            ai1["error"] = answer.Error;
            return new(null, log, ActionResult.Fail(Json(log), answer.Error!, answer.Retryable, answer.RetryAfter));
        }

        if (answer.Answer!.Length > max)
        {
            return new(null, log, ActionResult.Fail(
                Json(log),
                string.Create(CultureInfo.InvariantCulture, $"The language model wrote {answer.Answer.Length} characters twice; the step allows {max} (maxLength)."),
                retryable: false));
        }

        return Checked(answer.Answer, log);
    }

    private static ComposedSms Checked(string body, JsonObject log) =>
        body.Length > SmsTemplate.MaxBodyLength
            ? new(null, log, ActionResult.Fail(
                Json(log),
                string.Create(CultureInfo.InvariantCulture, $"The message has {body.Length} characters; a text message takes at most {SmsTemplate.MaxBodyLength}."),
                retryable: false))
            : new(body, log, null);

    private static string SystemPrompt(string? brandVoice, int max) =>
        "You write one text message (SMS) from a company to one person. " +
        (string.IsNullOrWhiteSpace(brandVoice) ? "Write in a friendly, professional voice. " : $"Brand voice: {brandVoice.Trim()} ") +
        string.Create(CultureInfo.InvariantCulture, $"Answer with the message only, plain text of at most {max} characters: no greeting line of its own, no placeholders, no markdown, no emoji unless the brand voice asks for them.");

    private static string UserPrompt(EvaluationScope scope, string brief)
    {
        var record = scope.Record is { } r ? JsonSerializer.Serialize(r, EngineJson.Options) : "{}";
        return $"Recipient (CRM record): {record}\nWhat the message must say: {brief}";
    }

    private static string Shorter(string user, string tooLong, int max) => string.Create(
        CultureInfo.InvariantCulture,
        $"{user}\nA first try had {tooLong.Length} characters, too many: \"{tooLong}\". Write it again in at most {max} characters.");

    private static JsonElement Json(JsonObject value) => JsonSerializer.SerializeToElement(value, EngineJson.Options);
}
