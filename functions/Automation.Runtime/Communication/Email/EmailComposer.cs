using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Templates;
using Automation.Runtime.Actions;
using Automation.Runtime.Actions.Records;
using Automation.Runtime.Communication.Email.Mailboxes;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Automation.Runtime.Communication.Email;

/// <summary>An email composed for a step: its content and, when a model wrote it, the prompt and answer; or the step's outcome instead.</summary>
public sealed record ComposedEmail(EmailContent? Content, JsonObject? Ai, IReadOnlyList<string> Removed, ActionResult? Instead);

/// <summary>
/// Turns a <c>send_email</c> or <c>notify_team</c> step's rendered params into an <see cref="EmailContent"/>: addresses
/// parsed, compliance cleared (before anything costly such as a model call), the body from the saved template, the
/// inline params, or a language model in personalized mode, and a plain-text alternative for every HTML body.
/// </summary>
public sealed class EmailComposer(
    EmailTemplateStore templates, TemplateRenderer renderer, ContactGate gate, ChatCompletions ai, OwnerMailboxes mailboxes, IOptions<EmailOptions> options)
{
    public const string Personalized = "personalized";

    /// <summary>The default way out: the configured relay.</summary>
    public const string Smtp = "smtp";

    public async Task<ComposedEmail> ComposeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var p = context.Params;
        if (ParseAddresses(p, out var error) is not { } addressed)
        {
            return Instead(ActionResult.Fail(error, retryable: false));
        }

        if (StepParams.Text(p, "via") is { } via && !string.Equals(via, Smtp, StringComparison.Ordinal))
        {
            // From the owner's own mailbox: its address is the sender, whatever the step's from says.
            var owner = RecordParams.RecordText(context.Scope.Record, AssignOwnerHandler.DefaultField);
            if (mailboxes.Find(owner, via, out error) is not { } mailbox)
            {
                return Instead(ActionResult.Fail(error, retryable: false));
            }

            addressed = addressed with { From = mailbox.Address!.Trim(), Via = via, MailboxOwner = owner!.Trim() };
        }

        var cleared = await gate.ClearEmailAsync(context.Scope.Record, addressed, cancellationToken);
        if (cleared.Content is not { } content)
        {
            return new ComposedEmail(null, null, cleared.Removed, ActionResult.Skip(cleared.SkipReason!, Json(new { skipped = cleared.SkipReason, removed = cleared.Removed })));
        }

        string? subject = StepParams.Text(p, "subject");
        string? html = StepParams.Text(p, "html");
        string? text = StepParams.Text(p, "text");
        if (StepParams.Text(p, "body") is { } body)
        {
            if (html is null && EmailBodies.LooksLikeHtml(body))
            {
                html = body;
            }
            else if (text is null)
            {
                text = body;
            }
        }

        if (StepParams.Text(p, "templateId") is { } templateId)
        {
            var template = await templates.GetAsync(templateId.Trim(), null, cancellationToken);
            if (template is null)
            {
                return Instead(ActionResult.Fail($"params.templateId: email template '{templateId}' does not exist.", retryable: false));
            }

            var failures = new List<string>();
            string? Render(string? source, string field)
            {
                if (source is null)
                {
                    return null;
                }

                var result = renderer.Render(source, context.Scope);
                if (result.Error is { } e)
                {
                    failures.Add($"{field}: {e.Message}");
                }

                return result.Output;
            }

            // A step's own subject wins over the template's; the body comes from the template.
            var templateSubject = Render(template.Subject, "subject");
            html = Render(template.Html, "html");
            text = Render(template.Text, "text");
            if (failures.Count > 0)
            {
                return Instead(ActionResult.Fail(
                    string.Create(CultureInfo.InvariantCulture, $"Email template '{template.Id}' (version {template.Version}) failed to render: {string.Join("; ", failures)}"),
                    retryable: false));
            }

            subject ??= string.IsNullOrWhiteSpace(templateSubject) ? null : templateSubject;
            content = content with { TemplateId = template.Id, TemplateVersion = template.Version };
        }

        JsonObject? aiLog = null;
        if (string.Equals(StepParams.Text(p, "mode"), Personalized, StringComparison.Ordinal))
        {
            var brief = text ?? (html is null ? null : EmailBodies.ToText(html)) ?? "";
            var answer = await ai.CompleteAsync(SystemPrompt(StepParams.Text(p, "brandVoice")), UserPrompt(context.Scope, subject, brief), cancellationToken);
            aiLog = new JsonObject { ["model"] = answer.Model, ["prompt"] = answer.Messages.DeepClone(), ["answer"] = answer.Answer };
            if (!answer.Ok)
            {
                aiLog["error"] = answer.Error;
                return new ComposedEmail(null, aiLog, cleared.Removed, ActionResult.Fail(
                    Json(new { ai = aiLog }), answer.Error!, answer.Retryable, answer.RetryAfter));
            }

            text = answer.Answer;
            html = EmailBodies.ToHtml(answer.Answer!);
        }

        if (string.IsNullOrWhiteSpace(subject))
        {
            return Instead(ActionResult.Fail("params.subject: the email has no subject (give subject, or use a template that has one).", retryable: false));
        }

        if (string.IsNullOrWhiteSpace(html) && string.IsNullOrWhiteSpace(text))
        {
            return Instead(ActionResult.Fail("params.body: the email has no body (it rendered empty).", retryable: false));
        }

        if (html is not null && text is null)
        {
            text = EmailBodies.ToText(html);
        }

        content = content with
        {
            Subject = subject.Trim(),
            Html = html,
            Text = text,
            Attachments = p.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array ? attachments.Clone() : null,
            Track = StepParams.Flag(p, "track") ?? true,
        };
        return new ComposedEmail(content, aiLog, cleared.Removed, null);
    }

    /// <summary>from, to, cc, bcc and replyTo parsed into mailboxes; null with the error naming the param when one is not an address.</summary>
    public EmailContent? ParseAddresses(JsonElement p, out string error)
    {
        error = "";
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in new[] { "to", "cc", "bcc" })
        {
            var list = new List<string>();
            foreach (var entry in StepParams.List(p, name))
            {
                if (!InternetAddressList.TryParse(entry, out var parsed) || parsed.Count == 0 || parsed.Any(a => a is not MailboxAddress m || !m.Address.Contains('@', StringComparison.Ordinal)))
                {
                    error = $"params.{name}: '{entry}' is not an email address (or a list of them separated by commas).";
                    return null;
                }

                list.AddRange(parsed.Mailboxes.Select(m => m.ToString()));
            }

            lists[name] = list;
        }

        if (lists["to"].Count == 0)
        {
            error = "params.to: there is no recipient (it rendered empty).";
            return null;
        }

        var from = StepParams.Text(p, "from") ?? options.Value.From;
        if (!MailboxAddress.TryParse(from, out var sender) || !sender.Address.Contains('@', StringComparison.Ordinal))
        {
            error = $"params.from: '{from}' is not an email address.";
            return null;
        }

        var replyTo = StepParams.Text(p, "replyTo");
        if (replyTo is not null && !MailboxAddress.TryParse(replyTo, out _))
        {
            error = $"params.replyTo: '{replyTo}' is not an email address.";
            return null;
        }

        return new EmailContent { From = sender.ToString(), To = lists["to"], Cc = lists["cc"], Bcc = lists["bcc"], ReplyTo = replyTo, Subject = "" };
    }

    private static string SystemPrompt(string? brandVoice) =>
        "You write one email from a company to one person. " +
        (string.IsNullOrWhiteSpace(brandVoice) ? "Write in a friendly, professional voice. " : $"Brand voice: {brandVoice.Trim()} ") +
        "Answer with the body of the email only, as plain text paragraphs: no subject line, no placeholders, no markdown.";

    private static string UserPrompt(EvaluationScope scope, string? subject, string brief)
    {
        var record = scope.Record is { } r ? JsonSerializer.Serialize(r, EngineJson.Options) : "{}";
        return $"Recipient (CRM record): {record}\nSubject: {subject ?? "(none)"}\nWhat the email must say: {brief}";
    }

    private static ComposedEmail Instead(ActionResult result) => new(null, null, [], result);

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value, EngineJson.Options);
}
