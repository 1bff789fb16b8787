using Automation.Engine.Actions;
using Automation.Engine.Model;

namespace Automation.Api.Apis;

/// <summary>
/// What a workflow may be made of, in the words the dashboard shows: every trigger kind of <see cref="TriggerTypes"/>
/// with its parameters, every operator of <see cref="ConditionOperators"/>, the retry policy's settings, the actions of
/// <see cref="ActionRegistry"/> and the event types. The dashboard keeps no copy: it reads this from
/// <c>GET /api/vocabulary</c>, so a trigger or operator added to the engine appears in the editor (a test fails until
/// it has its words here).
/// </summary>
public static class Vocabulary
{
    /// <summary>The CRM modules offered as suggestions; any other module name is accepted as well.</summary>
    public static readonly IReadOnlyList<string> CommonModules = ["lead", "contact", "account", "opportunity", "task", "invoice", "case"];

    private static TriggerParameter Text(string name, string label, string? placeholder = null, string? help = null, bool required = false) =>
        new(name, label, "text", required, placeholder, help, null);

    private static TriggerParameter Scalar(string name, string label, string? placeholder = null, string? help = null, bool required = false) =>
        new(name, label, "scalar", required, placeholder, help, null);

    private static TriggerParameter Choice(string name, string label, params IReadOnlyList<Option> options) =>
        new(name, label, "select", false, null, null, options);

    private static TriggerParameter Flag(string name, string label) => new(name, label, "checkbox", false, null, null, null);

    private static readonly TriggerParameter[] FromTo =
    [
        Scalar("from", "From (optional)", help: "Only when the value was this before."),
        Scalar("to", "To (optional)", help: "Only when the value becomes this."),
    ];

    private static readonly TriggerParameter[] StageParameters =
    [
        Text("stage", "Stage", "e.g. SQL", required: true),
        Text("pipeline", "Pipeline (optional)", "e.g. sales"),
    ];

    // Kind "segment": the editor offers the saved segments of the workflow's module (GET /api/segments?module=).
    private static readonly TriggerParameter[] SegmentParameters =
        [new("segment", "Segment", "segment", true, null, "Segments are saved under Segments; membership is kept per record.", null)];

    public static readonly IReadOnlyList<TriggerWords> Triggers =
    [
        new(TriggerTypes.RecordCreated, "Record created", "Record", "Starts when a record of the module is created.", []),
        new(TriggerTypes.RecordUpdated, "Record updated", "Record", "Starts on every update of a record.", []),
        new(TriggerTypes.RecordDeleted, "Record deleted", "Record", "Starts when a record is deleted.", []),
        new(TriggerTypes.FieldChanged, "Field changed", "Record", "Starts when one field changes, optionally from one value or to another.",
            [Text("field", "Field", "e.g. email", "The field name, without “record.”.", required: true), .. FromTo]),
        new(TriggerTypes.StatusChanged, "Status changed", "Record", "Starts when the record’s status changes, optionally from or to a value.", FromTo),
        new(TriggerTypes.StageEntered, "Stage entered", "Pipeline", "Starts when the record enters a pipeline stage: the stage’s entry actions.", StageParameters),
        new(TriggerTypes.StageExited, "Stage exited", "Pipeline", "Starts when the record leaves a pipeline stage: the stage’s exit actions.", StageParameters),
        new(TriggerTypes.StageChanged, "Stage changed", "Pipeline", "Starts whenever the record moves from one stage to another; previous.stage and record.stage say which.",
        [
            Text("pipeline", "Pipeline (optional)", "e.g. sales", "Only moves into or out of this pipeline."),
            .. FromTo,
        ]),
        new(TriggerTypes.ScoreCrossed, "Score crossed", "Scores and segments", "Starts when a score goes past a threshold, upwards or downwards.",
        [
            Text("field", "Score field", "e.g. score", "score when empty."),
            Scalar("threshold", "Threshold", "e.g. 80", required: true),
            Choice("direction", "Direction", new("up", "Upwards (rises past it)"), new("down", "Downwards (falls below it)")),
        ]),
        new(TriggerTypes.SegmentEntered, "Segment entered", "Scores and segments", "Starts when the record comes to match a saved segment of its module (once per entry).", SegmentParameters),
        new(TriggerTypes.SegmentExited, "Segment exited", "Scores and segments", "Starts when the record stops matching a saved segment, or is deleted while in it.", SegmentParameters),
        new(TriggerTypes.HealthChanged, "Health changed", "Scores and segments", "Starts when the record’s health changes, optionally to a value.", FromTo),
        new(TriggerTypes.NamedEvent, "Named event", "Events and schedules", "Starts when your CRM sends a custom event with this name (data.name).",
            [Text("name", "Event name", "e.g. demo.requested", "Matches events of type “event” whose data.name is this.", required: true)]),
        new(TriggerTypes.WebhookReceived, "Webhook received", "Events and schedules", "Starts when POST /api/hooks/{name} receives a call.",
            [Text("name", "Hook name (optional)", "e.g. typeform", "Calls to POST /api/hooks/{name}; empty matches any hook.")]),
        new(TriggerTypes.Schedule, "Schedule", "Events and schedules", "Starts on a cron schedule, optionally for every record matching the conditions.",
        [
            Text("cron", "Cron schedule", "e.g. 0 9 * * MON", "5 fields (minute hour day month weekday), or 6 with seconds.", required: true),
            Text("timeZone", "Time zone", "e.g. Europe/Paris", "UTC when empty."),
            Flag("overRecords", "Run for every record that matches the conditions"),
            Choice("catchUp", "After downtime", new("skip", "Skip missed occurrences"), new("latest", "Run the latest missed one once")),
        ]),
        new(TriggerTypes.DateReached, "Date reached", "Events and schedules", "Starts when a date field of the record, plus an offset, is reached: once per record and date value.",
        [
            Text("field", "Date field", "e.g. dueDate", "The record’s date field, without “record.”.", required: true),
            Text("offset", "Offset", "e.g. -30d", "[+|-]N with s, m, h, d or w: -30d is 30 days before, +1d a day after. 0 when empty."),
            Text("timeZone", "Time zone", "e.g. Europe/Paris", "For dates without a time (midnight there). UTC when empty."),
        ]),
        .. TriggerTypes.Lifecycle.Select(type => new TriggerWords(type, Humanize(type), "Lifecycle", $"Starts when {Article(type)} {Humanize(type).ToLowerInvariant()}.", [])),
    ];

    public static readonly IReadOnlyList<OperatorWords> Operators = Enum.GetValues<ConditionOperator>()
        .Select(op => new OperatorWords(ConditionOperators.Name(op), OperatorLabel(op), ValueKindName(ConditionOperators.ValueKind(op))))
        .ToArray();

    /// <summary>The step's <c>retry</c> settings, with the engine's defaults.</summary>
    public static readonly IReadOnlyList<RetryWords> Retry =
    [
        new("maxAttempts", "Attempts", RetryPolicy.Default.MaxAttempts, "Attempts in all, the first included (1: no retry)."),
        new("initialIntervalSeconds", "First wait (s)", RetryPolicy.Default.InitialIntervalSeconds, "Seconds before the first retry."),
        new("backoffCoefficient", "Backoff", RetryPolicy.Default.BackoffCoefficient, "Each wait is the previous one times this."),
        new("maxIntervalSeconds", "Longest wait (s)", RetryPolicy.Default.MaxIntervalSeconds, "No wait is longer than this."),
    ];

    /// <summary>Event types an event's <c>type</c> may have: each trigger's own, and those the scheduler and a segment's re-evaluation emit.</summary>
    public static readonly IReadOnlyList<string> EventTypes =
    [
        Engine.Model.EventTypes.RecordCreated, Engine.Model.EventTypes.RecordUpdated, Engine.Model.EventTypes.RecordDeleted,
        Engine.Model.EventTypes.Custom, Engine.Model.EventTypes.WebhookReceived, .. TriggerTypes.Lifecycle,
        Engine.Model.EventTypes.ScheduleFired, Engine.Model.EventTypes.DateReached, Engine.Model.EventTypes.SegmentsEvaluated,
    ];

    private static string OperatorLabel(ConditionOperator op) => op switch
    {
        ConditionOperator.Eq => "is",
        ConditionOperator.Neq => "is not",
        ConditionOperator.Gt => "is greater than",
        ConditionOperator.Gte => "is at least",
        ConditionOperator.Lt => "is less than",
        ConditionOperator.Lte => "is at most",
        ConditionOperator.Between => "is between",
        ConditionOperator.Contains => "contains",
        ConditionOperator.NotContains => "does not contain",
        ConditionOperator.StartsWith => "starts with",
        ConditionOperator.EndsWith => "ends with",
        ConditionOperator.In => "is one of",
        ConditionOperator.NotIn => "is none of",
        ConditionOperator.Exists => "exists",
        ConditionOperator.NotExists => "does not exist",
        ConditionOperator.IsEmpty => "is empty",
        ConditionOperator.IsNotEmpty => "is not empty",
        ConditionOperator.Changed => "changed",
        ConditionOperator.ChangedTo => "changed to",
        ConditionOperator.ChangedFrom => "changed from",
        ConditionOperator.Before => "is before",
        ConditionOperator.After => "is after",

        // A new operator shows under its JSON name until it has words here.
        _ => ConditionOperators.Name(op),
    };

    private static string ValueKindName(OperatorValueKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>invoice.overdue -> Invoice overdue.</summary>
    private static string Humanize(string type)
    {
        var text = type.Replace('.', ' ').Replace('_', ' ');
        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    private static string Article(string type) => "aeio".Contains(type[0], StringComparison.Ordinal) ? "an" : "a";

    public sealed record Option(string Value, string Label);

    /// <summary>A trigger parameter: kind is text, scalar (a number, true/false or text), select, checkbox or segment (a saved segment's id).</summary>
    public sealed record TriggerParameter(string Name, string Label, string Kind, bool Required, string? Placeholder, string? Help, IReadOnlyList<Option>? Options);

    public sealed record TriggerWords(string Type, string Label, string Group, string Description, IReadOnlyList<TriggerParameter> Parameters);

    public sealed record OperatorWords(string Name, string Label, string ValueKind);

    public sealed record RetryWords(string Name, string Label, double Default, string Help);
}
