using System.Collections.Frozen;
using static Automation.Engine.Actions.ActionParameterType;

namespace Automation.Engine.Actions;

/// <summary>
/// Every action type Automation can run, described once: the API serves it, validation checks steps
/// against it, the runner reads categories, channels and secrets from it.
/// </summary>
public static class ActionRegistry
{
    public static IReadOnlyList<ActionDescriptor> All { get; } =
    [
        .. CommunicationActions(),
        .. RecordActions(),
        .. IntegrationActions(),
        .. FlowActions(),
    ];

    private static readonly FrozenDictionary<string, ActionDescriptor> ByType =
        All.ToFrozenDictionary(a => a.Type, StringComparer.Ordinal);

    /// <summary>The type names in registry order (the order the dashboard lists them).</summary>
    public static IReadOnlyList<string> Types { get; } = All.Select(a => a.Type).ToArray();

    public static bool IsKnown(string type) => ByType.ContainsKey(type);

    public static bool TryGet(string type, out ActionDescriptor descriptor) => ByType.TryGetValue(type, out descriptor!);

    public static ActionDescriptor Get(string type) =>
        ByType.TryGetValue(type, out var descriptor)
            ? descriptor
            : throw new KeyNotFoundException($"Unknown action type '{type}'.");

    private static IEnumerable<ActionDescriptor> CommunicationActions()
    {
        yield return new ActionDescriptor
        {
            Type = ActionTypes.SendEmail,
            Category = ActionCategory.Communication,
            Channel = ContactChannel.Email,
            Description = "Sends an email to the record, unless it is marked do-not-contact or opted out of email.",
            Parameters =
            [
                Required("to", Email, "Recipient addresses, separated by commas (usually {{ record.email }})."),
                Optional("cc", Email, "Copy recipients, separated by commas."),
                Optional("bcc", Email, "Blind copy recipients, separated by commas."),
                Optional("from", Email, "Sender address; the configured default sender when empty."),
                Optional("replyTo", Email, "Address that replies go to."),
                Optional("subject", ActionParameterType.String, "Subject line; the template's subject when empty and a template is used."),
                Optional("body", ActionParameterType.String, "Message body; HTML is allowed."),
                Optional("html", ActionParameterType.String, "HTML body, when body holds the plain text version."),
                Optional("text", ActionParameterType.String, "Plain text body for mail clients that do not show HTML."),
                Literal("templateId", ActionParameterType.String, "Saved email template to use instead of a body.") with
                {
                    RequiredWhen = new ParameterCondition("mode", ["template"]),
                },
                Literal("mode", ActionParameterType.String, "template sends a saved template, draft leaves the email for the owner to review, personalized writes it in the brand voice.") with
                {
                    AllowedValues = ["template", "draft", "personalized"],
                },
                Optional("attachments", ActionParameterType.Array, "Files to attach: objects with name and content (text, or base64 with encoding base64), name and url, or a document of the record (documentId, or document with its name)."),
                Literal("brandVoice", ActionParameterType.String, "Tone to write in when mode is personalized."),
                SendWindowParameter("The hours the email may go out in ({ days, start, end, timeZone }); outside them the step waits for the next opening."),
                Literal("approvalTimeoutHours", Number, "In draft mode, hours the owner has to approve or discard the draft; no limit when empty.") with { Minimum = 0.0001, Maximum = 24 * 90 },
                Literal("onApprovalTimeout", ActionParameterType.String, "In draft mode, what a missed approval deadline does: skip the step (the default) or fail the run.") with
                {
                    AllowedValues = ["skip", "fail"],
                },
                Literal("track", ActionParameterType.Boolean, "Count opens and clicks with a tracking pixel and redirect links; true when empty."),
                Literal("via", ActionParameterType.String, "smtp (the default) sends through the configured relay; gmail or microsoft365 sends from the record owner's own mailbox, as the owner.") with
                {
                    AllowedValues = ["smtp", "gmail", "microsoft365"],
                },
                Literal("notifyOwner", ActionParameterType.Boolean, "In draft mode, tell the record's owner (ownerId) that a draft waits: an in-app notification, and an email when the service is configured to send one; true when empty."),
            ],
            RequiredChoices =
            [
                new ParameterChoice([["body"], ["html"], ["text"], ["templateId"]], "An email needs a body, html, text or templateId."),
                new ParameterChoice([["subject"], ["templateId"]], "An email needs a subject, or a templateId whose template has one."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.SendSms,
            Category = ActionCategory.Communication,
            Channel = ContactChannel.Sms,
            Description = "Sends a text message to the record, unless it is marked do-not-contact or opted out of SMS.",
            Parameters =
            [
                Required("to", Phone, "Recipient phone number in international format (usually {{ record.phone }})."),
                Optional("body", ActionParameterType.String, "Message text; in personalized mode, what the message must say (the brief).") with
                {
                    RequiredWhen = new ParameterCondition("mode", ["personalized"]),
                },
                Literal("mode", ActionParameterType.String, "template sends a saved SMS template, personalized has the language model write it in the brand voice.") with
                {
                    AllowedValues = ["template", "personalized"],
                },
                Literal("templateId", ActionParameterType.String, "Saved SMS template to send instead of a body.") with
                {
                    RequiredWhen = new ParameterCondition("mode", ["template"]),
                },
                Literal("brandVoice", ActionParameterType.String, "Tone to write in when mode is personalized."),
                Literal("maxLength", Number, "In personalized mode, the most characters the message may have; 160 (one message) when empty.") with { Minimum = 20, Maximum = 1600 },
                Optional("from", Phone, "Sender number; the configured default when empty."),
                Literal("messagingServiceSid", ActionParameterType.String, "Twilio messaging service to send through instead of a single number."),
                SendWindowParameter("The hours the message may go out in ({ days, start, end, timeZone }); outside them the step waits for the next opening."),
            ],
            RequiredChoices =
            [
                new ParameterChoice([["body"], ["templateId"]], "A text message needs a body, or a templateId."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.InitiateCall,
            Category = ActionCategory.Communication,
            Channel = ContactChannel.Call,
            Description = "Places a phone call to the record that speaks a message or follows a call flow, unless the record is marked do-not-contact.",
            Parameters =
            [
                Required("to", Phone, "Number to call in international format."),
                Optional("from", Phone, "Caller number; the configured default when empty."),
                Optional("say", ActionParameterType.String, "Text spoken when the call is answered."),
                Optional("callFlowUrl", Url, "Address of the call flow (TwiML) to follow instead of speaking a message."),
                SendWindowParameter("The hours the call may be placed in ({ days, start, end, timeZone }); outside them the step waits for the next opening."),
            ],
            RequiredChoices =
            [
                new ParameterChoice([["say"], ["callFlowUrl"]], "A call needs say or callFlowUrl."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.SlackMessage,
            Category = ActionCategory.Communication,
            Description = "Posts a message to a Slack channel.",
            Parameters =
            [
                Literal("webhookUrl", Url, "Slack incoming webhook address.") with { Secret = true },
                Literal("channel", ActionParameterType.String, "Channel to post to with a bot token, e.g. #sales."),
                Literal("botToken", ActionParameterType.String, "Slack bot token used with channel; the configured Automation:Slack:BotToken when empty.") with { Secret = true },
                Optional("text", ActionParameterType.String, "Message text."),
                Optional("blocks", ActionParameterType.Array, "Slack Block Kit blocks, for a richer message."),
            ],
            RequiredChoices =
            [
                new ParameterChoice([["webhookUrl"], ["channel"]], "A Slack message needs webhookUrl, or a channel (posted with botToken or the configured bot token)."),
                new ParameterChoice([["text"], ["blocks"]], "A Slack message needs text or blocks."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.NotifyTeam,
            Category = ActionCategory.Communication,
            Description = "Emails every member of a team about the record.",
            Parameters =
            [
                Required("team", ActionParameterType.String, "Team to notify."),
                Required("subject", ActionParameterType.String, "Subject line."),
                Required("body", ActionParameterType.String, "Message body."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.InAppNotification,
            Category = ActionCategory.Communication,
            Description = "Shows a notification to a user inside the CRM.",
            Parameters =
            [
                Required("userId", ActionParameterType.String, "User to notify (usually {{ record.ownerId }})."),
                Required("title", ActionParameterType.String, "Notification title."),
                Optional("body", ActionParameterType.String, "Notification text."),
                Optional("link", Url, "Where clicking the notification leads."),
            ],
        };
    }

    private static IEnumerable<ActionDescriptor> RecordActions()
    {
        yield return new ActionDescriptor
        {
            Type = ActionTypes.AssignOwner,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Assigns the record to an owner: a fixed user, the next member of a team in turn, or by rules.",
            Parameters =
            [
                Literal("strategy", ActionParameterType.String, "fixed assigns ownerId, round_robin takes turns within team, rules picks by the first matching rule.", required: true) with
                {
                    AllowedValues = ["fixed", "round_robin", "rules"],
                },
                Optional("ownerId", ActionParameterType.String, "User to assign when strategy is fixed.") with
                {
                    RequiredWhen = new ParameterCondition("strategy", ["fixed"]),
                },
                Optional("team", ActionParameterType.String, "Team whose members take turns when strategy is round_robin.") with
                {
                    RequiredWhen = new ParameterCondition("strategy", ["round_robin"]),
                },
                Literal("rules", ActionParameterType.Array, "Rules tried in order when strategy is rules: { \"when\": condition, \"ownerId\": \"...\" }; the first whose condition holds assigns, a rule without when always does (a default).") with
                {
                    RequiredWhen = new ParameterCondition("strategy", ["rules"]),
                },
                Literal("field", ActionParameterType.String, "Owner field to set; ownerId when empty."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.MarkContact,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Marks the record as do-not-contact, opted out of email or SMS, verified, with a status, or sets a flag field of your own.",
            Parameters =
            [
                Literal("flag", ActionParameterType.String, "Which mark to set: doNotContact, emailOptOut and smsOptOut set those fields, verified sets field (verified when empty), status sets status, custom sets the field you name.", required: true) with
                {
                    AllowedValues = ["doNotContact", "emailOptOut", "smsOptOut", "verified", "status", "custom"],
                },
                Literal("field", ActionParameterType.String, "Field to set when flag is custom, or which verification flag when flag is verified (e.g. emailVerified).") with
                {
                    RequiredWhen = new ParameterCondition("flag", ["custom"]),
                },
                Optional("value", ActionParameterType.String, "Value to set; true when empty (\"true\" and \"false\" are set as booleans).") with
                {
                    RequiredWhen = new ParameterCondition("flag", ["status"]),
                },
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.UpdateField,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Sets one or more fields of the record.",
            Parameters =
            [
                Required("fields", ActionParameterType.Object, "Fields to set, each with its new value, e.g. { \"rating\": \"hot\" }."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.ChangeStatus,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Changes the record's status.",
            Parameters =
            [
                Required("status", ActionParameterType.String, "New status."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.MoveStage,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Moves the record to another pipeline stage.",
            Parameters =
            [
                Required("stage", ActionParameterType.String, "Stage to move to."),
                Optional("pipeline", ActionParameterType.String, "Pipeline the stage belongs to; the record's current one when empty."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.CreateTask,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Creates a task linked to the record.",
            Parameters =
            [
                Required("title", ActionParameterType.String, "Task title."),
                Optional("description", ActionParameterType.String, "Task details."),
                Optional("assignee", ActionParameterType.String, "User the task is for; the record owner when empty."),
                Optional("dueInDays", Number, "Days from now until the task is due.") with { Minimum = 0, Maximum = 3650 },
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.CreateCase,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Opens a support case linked to the record.",
            Parameters =
            [
                Required("subject", ActionParameterType.String, "Case subject."),
                Optional("description", ActionParameterType.String, "Case details."),
                Optional("priority", ActionParameterType.String, "Case priority, as your CRM names it (e.g. high)."),
                Optional("assignee", ActionParameterType.String, "User the case is for."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.CreateOpportunity,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Creates a sales opportunity linked to the record.",
            Parameters =
            [
                Required("name", ActionParameterType.String, "Opportunity name."),
                Optional("amount", Number, "Expected amount.") with { Minimum = 0 },
                Optional("stage", ActionParameterType.String, "Starting stage; the pipeline's first when empty."),
                Optional("closeInDays", Number, "Days from now until the expected close date.") with { Minimum = 0, Maximum = 3650 },
                Optional("ownerId", ActionParameterType.String, "Owner; the record owner when empty."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.CreateRecord,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Creates a record of any module (an onboarding project when a contract is signed) linked to the record.",
            Parameters =
            [
                Literal("module", ActionParameterType.String, "Module of the new record, e.g. project or sales_order.", required: true),
                Required("fields", ActionParameterType.Object, "Fields of the new record, each with its value, e.g. { \"name\": \"Onboarding {{ record.name }}\" }."),
                Optional("ownerId", ActionParameterType.String, "Owner; the record owner when empty (unless fields sets ownerId)."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.AddNote,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Adds a note to the record's timeline.",
            Parameters =
            [
                Required("body", ActionParameterType.String, "Note text."),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.AttachDocument,
            Category = ActionCategory.Record,
            ChangesRecord = true,
            Description = "Attaches a document to the record, generated from a template or fetched from an address.",
            Parameters =
            [
                Required("name", ActionParameterType.String, "File name, e.g. Quote-{{ record.number }}.pdf."),
                Optional("template", ActionParameterType.String, "Document content generated from this template."),
                Optional("url", Url, "Address to fetch the document from."),
                Literal("contentType", ActionParameterType.String, "Media type, e.g. application/pdf; guessed from the name when empty."),
            ],
            RequiredChoices =
            [
                new ParameterChoice([["template"], ["url"]], "A document needs template or url."),
            ],
        };
    }

    private static IEnumerable<ActionDescriptor> IntegrationActions()
    {
        yield return new ActionDescriptor
        {
            Type = ActionTypes.CallWebhook,
            Category = ActionCategory.Integration,
            Description = "Sends an HTTP request to another system, with an Idempotency-Key header so that a retry is not applied twice.",
            Parameters =
            [
                Required("url", Url, "Address to call (https)."),
                Literal("method", ActionParameterType.String, "HTTP method; POST when empty.") with
                {
                    AllowedValues = ["GET", "POST", "PUT", "PATCH", "DELETE"],
                },
                Optional("headers", ActionParameterType.Object, "Extra request headers, e.g. { \"Authorization\": \"Bearer ...\" }.") with { Secret = true },
                Optional("body", ActionParameterType.Object, "JSON body; the record when empty."),
                Literal("timeoutSeconds", Number, "Seconds to wait for an answer; 10 when empty.") with { Minimum = 1, Maximum = 60 },
                Literal("secret", ActionParameterType.String, "Shared secret that signs the request (X-Automation-Signature), so the receiver can verify it.") with { Secret = true },
            ],
        };
    }

    private static IEnumerable<ActionDescriptor> FlowActions()
    {
        yield return new ActionDescriptor
        {
            Type = ActionTypes.StartWorkflow,
            Category = ActionCategory.Flow,
            Description = "Enrolls the record in another workflow.",
            Parameters =
            [
                Literal("workflowId", ActionParameterType.String, "Workflow to start.", required: true),
            ],
        };
        yield return new ActionDescriptor
        {
            Type = ActionTypes.AddToSequence,
            Category = ActionCategory.Flow,
            Description = "Adds the record to a sequence of timed messages.",
            Parameters =
            [
                Literal("sequenceId", ActionParameterType.String, "Sequence to add the record to."),
                Literal("workflowId", ActionParameterType.String, "Workflow that implements the sequence, instead of sequenceId."),
            ],
            RequiredChoices =
            [
                new ParameterChoice([["sequenceId"], ["workflowId"]], "Adding to a sequence needs sequenceId or workflowId."),
            ],
        };
    }

    /// <summary>Rendered, so a window may follow the record (<c>"timeZone": "{{ record.timeZone }}"</c>); see <see cref="Runs.SendWindow"/>.</summary>
    private static ActionParameter SendWindowParameter(string description) =>
        Optional(Runs.SendWindow.Parameter, ActionParameterType.Object, description);

    private static ActionParameter Required(string name, ActionParameterType type, string description) =>
        new(name, type, Required: true, Template: true, description);

    private static ActionParameter Optional(string name, ActionParameterType type, string description) =>
        new(name, type, Required: false, Template: true, description);

    /// <summary>A parameter taken as written: choices, ids and credentials are not rendered.</summary>
    private static ActionParameter Literal(string name, ActionParameterType type, string description, bool required = false) =>
        new(name, type, required, Template: false, description);
}
