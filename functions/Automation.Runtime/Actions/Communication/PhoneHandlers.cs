using System.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;
using Automation.Runtime.Communication;
using Microsoft.Extensions.Logging;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Automation.Runtime.Actions.Communication;

/// <summary>
/// <c>send_sms</c> through Twilio's Messages resource: <c>To</c> (validated and normalized to E.164), <c>Body</c> (the
/// step's, a saved template's or the language model's: <see cref="SmsComposer"/>), and <c>MessagingServiceSid</c> (the
/// step's, else the configured one) or <c>From</c> (the step's, else the configured number). A record marked
/// do-not-contact or opted out of SMS, or a number on the suppression list, skips the step before anything is composed.
/// </summary>
public sealed class SendSmsHandler(TwilioClient twilio, ContactGate gate, SmsComposer composer, ILogger<SendSmsHandler> logger) : IActionHandler
{
    public string Type => ActionTypes.SendSms;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        if (Phones.Recipient(twilio, p, out var error) is not { } to)
        {
            return ActionResult.Fail(error, retryable: false);
        }

        if (await gate.RefusePhoneAsync(context.Scope.Record, ContactChannel.Sms, to, cancellationToken) is { } refused)
        {
            CommunicationLogs.Skipped(logger, context.Run.RunId, context.Step.Id, refused);
            return ActionResult.Skip(refused);
        }

        if (twilio.NotConfigured() is { } missing)
        {
            return ActionResult.Fail(missing, retryable: false);
        }

        var composed = await composer.ComposeAsync(context, cancellationToken);
        if (composed.Instead is { } instead)
        {
            return instead;
        }

        var message = new CreateMessageOptions(new PhoneNumber(to)) { Body = composed.Body };
        var service = StepParams.Text(p, "messagingServiceSid") ?? (StepParams.Text(p, "from") is null ? twilio.Options.MessagingServiceSid : null);
        if (!string.IsNullOrWhiteSpace(service))
        {
            message.MessagingServiceSid = service.Trim();
        }
        else if (Phones.Sender(twilio, p, out error) is { } from)
        {
            message.From = new PhoneNumber(from);
        }
        else
        {
            return ActionResult.Fail(error, retryable: false);
        }

        var sent = await twilio.SendMessageAsync(message, cancellationToken);
        return composed.Log.Count == 0 ? sent : sent with { Output = WithLog(sent.Output, composed.Log) };
    }

    /// <summary>Twilio's answer with the template or the model's prompt and answer beside it.</summary>
    private static JsonElement WithLog(JsonElement? output, JsonObject log)
    {
        var merged = output is { ValueKind: JsonValueKind.Object } o ? JsonObject.Create(o)! : [];
        foreach (var (key, value) in log)
        {
            merged[key] = value?.DeepClone();
        }

        return JsonSerializer.SerializeToElement(merged, EngineJson.Options);
    }
}

/// <summary>
/// <c>initiate_call</c> through Twilio's Calls resource: <c>To</c>, <c>From</c>, and either <c>Twiml</c> that says the
/// rendered text (<c>&lt;Response&gt;&lt;Say&gt;...&lt;/Say&gt;&lt;/Response&gt;</c>, XML-escaped) or <c>Url</c> of a call flow.
/// A record marked do-not-contact or opted out of calls (<c>callOptOut</c>), or a suppressed number, skips the step.
/// </summary>
public sealed class InitiateCallHandler(TwilioClient twilio, ContactGate gate, ILogger<InitiateCallHandler> logger) : IActionHandler
{
    public string Type => ActionTypes.InitiateCall;

    public async Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        if (Phones.Recipient(twilio, p, out var error) is not { } to)
        {
            return ActionResult.Fail(error, retryable: false);
        }

        if (await gate.RefusePhoneAsync(context.Scope.Record, ContactChannel.Call, to, cancellationToken) is { } refused)
        {
            CommunicationLogs.Skipped(logger, context.Run.RunId, context.Step.Id, refused);
            return ActionResult.Skip(refused);
        }

        if (twilio.NotConfigured() is { } missing)
        {
            return ActionResult.Fail(missing, retryable: false);
        }

        if (Phones.Sender(twilio, p, out error) is not { } from)
        {
            return ActionResult.Fail(error, retryable: false);
        }

        var call = new CreateCallOptions(new PhoneNumber(to), new PhoneNumber(from));
        if (StepParams.Text(p, "callFlowUrl") is { } flow)
        {
            if (!Uri.TryCreate(flow.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return ActionResult.Fail($"params.callFlowUrl: '{flow}' is not an http(s) URL.", retryable: false);
            }

            call.Url = uri;
        }
        else if (StepParams.Text(p, "say") is { } say)
        {
            call.Twiml = new Twiml($"<Response><Say>{SecurityElement.Escape(say.Trim())}</Say></Response>");
        }
        else
        {
            return ActionResult.Fail("params.say: the call has nothing to say (it rendered empty) and no callFlowUrl.", retryable: false);
        }

        return await twilio.StartCallAsync(call, cancellationToken);
    }
}

internal static class Phones
{
    public static string? Recipient(TwilioClient twilio, System.Text.Json.JsonElement p, out string error)
    {
        var to = StepParams.Text(p, "to");
        if (E164.TryNormalize(to, twilio.Options.DefaultRegion, out var e164, out var why))
        {
            error = "";
            return e164;
        }

        error = "params.to: " + why;
        return null;
    }

    public static string? Sender(TwilioClient twilio, System.Text.Json.JsonElement p, out string error)
    {
        var from = StepParams.Text(p, "from") ?? twilio.Options.From;
        if (from is null)
        {
            error = "params.from: there is no sender number (give from, or set Automation:Twilio:From).";
            return null;
        }

        if (E164.TryNormalize(from, twilio.Options.DefaultRegion, out var e164, out var why))
        {
            error = "";
            return e164;
        }

        error = "params.from: " + why;
        return null;
    }
}
