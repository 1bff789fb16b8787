using System.Globalization;
using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Segments;
using Automation.Engine.Templates;
using Automation.Engine.Triggers;

namespace Automation.Engine.Runs;

/// <summary>
/// The answer of <c>POST /api/workflows/{id}/test</c> and <c>/test-definition</c>: how the workflow would treat the
/// event, and what each step would be given. Serialize with <see cref="Json.EngineJson.Options"/>.
/// </summary>
public sealed record DryRunResult(
    TriggerMatch Trigger,
    ChangeSet Changes,
    ConditionTrace? Conditions,
    EnrollmentDecision Enrollment,
    ConditionTrace? ExitConditions,
    IReadOnlyList<DryRunStep> Steps,
    IReadOnlyList<string> Notes);

/// <summary>
/// One step as it would run if the record enrolled now and every step took no time. <see cref="Params"/> holds the
/// rendered parameters when every template rendered; otherwise it is null and <see cref="Errors"/> says what failed,
/// keyed by the path in the definition (<c>steps[1].params.subject</c>, <c>steps[2].delay.until</c>).
/// </summary>
public sealed record DryRunStep(
    int Index,
    string Id,
    string Action,
    string? Name,
    string? Delay,
    DateTimeOffset? RunsAt,
    ConditionTrace? Condition,
    JsonElement? Params,
    IReadOnlyDictionary<string, TemplateError> Errors);

/// <summary>Evaluates a workflow against one event without side effects: nothing is stored, sent or scheduled.</summary>
public static class DryRun
{
    private const string DryRunId = "dry-run";

    /// <summary>
    /// <paramref name="segments"/> is the membership change the event would make (decided by the caller, who can read
    /// the record's stored membership); without it, segment triggers say membership was not decided.
    /// </summary>
    public static DryRunResult Run(
        Workflow wf, CrmEvent evt, JsonElement? storedPrevious, DateTimeOffset now, TemplateRenderer renderer, SegmentChange? segments = null)
    {
        ArgumentNullException.ThrowIfNull(wf);
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(renderer);

        var notes = new List<string>();
        var changes = ChangeDeriver.Derive(evt, storedPrevious);
        if (segments is not null)
        {
            changes = changes with { Segments = segments };
            notes.Add($"Segments after the event: {List(segments.Members)} (entered: {List(segments.Entered)}; left: {List(segments.Exited)}), judged against the membership stored for the record.");
        }

        var scope = EventScope.For(evt, changes, now);

        // An admin tests drafts and paused workflows too: judge them as if active, and say so.
        var judged = wf;
        if (wf.Status != WorkflowStatus.Active)
        {
            judged = wf with { Status = WorkflowStatus.Active };
            notes.Add($"The workflow is {wf.Status.ToString().ToLowerInvariant()}: events are ignored until it is activated. This test judges it as if it were active.");
        }

        var evaluation = WorkflowEvaluation.Evaluate(judged, evt, changes, scope, enrolledBefore: false);
        notes.Add("Enrollment assumes the record was never enrolled in this workflow.");

        // Shown even when the trigger did not match, so that both halves of a definition can be tested at once.
        var conditions = evaluation.Conditions ?? ConditionEvaluator.Evaluate(wf.Conditions, scope, "conditions");

        var run = RunProgress.Start(DryRunId, wf with { Id = wf.Id ?? DryRunId }, evt, new EnrollmentDecision(EnrollmentOutcome.Enroll, ""), now);
        var runScope = scope with { Run = RunContext.Build(run) };
        var exit = wf.ExitConditions is null ? null : ConditionEvaluator.Evaluate(wf.ExitConditions, runScope, "exitConditions");

        var steps = new List<DryRunStep>(wf.Steps.Count);
        DateTimeOffset? at = now;
        for (var i = 0; i < wf.Steps.Count; i++)
        {
            var step = wf.Steps[i];
            var errors = new Dictionary<string, TemplateError>(StringComparer.Ordinal);
            var delay = DescribeDelay(step, i, runScope, renderer, ref at, errors);
            if (errors.Count > 0)
            {
                // Past a delay that cannot be computed, no step's time is known.
                at = null;
            }

            var condition = step.Condition is null ? null : ConditionEvaluator.Evaluate(step.Condition, runScope, $"steps[{i}].condition");
            var rendered = renderer.RenderParams(step.Params, runScope);
            foreach (var (path, error) in rendered.Errors)
            {
                errors[$"steps[{i}].params.{path}"] = error;
            }

            delay = WaitForWindow(step, i, runScope, renderer, delay, ref at, errors);

            steps.Add(new DryRunStep(
                i, step.Id, step.Action, step.Name, delay, at, condition,
                rendered.Ok ? SecretMasker.Apply(rendered.Rendered, step.Action) : null, errors));
        }

        if (wf.Steps.Any(s => s.Condition is not null || s.Delay is not null) || wf.ExitConditions is not null)
        {
            notes.Add("Step conditions, exit conditions and templates are evaluated on the record as of this event; a real run evaluates them when each step is due, on the record as it is then.");
        }

        return new DryRunResult(evaluation.Trigger, changes, conditions, evaluation.Enrollment, exit, steps, notes);
    }

    /// <summary>A step outside its send window at <paramref name="at"/> waits for the next opening: say so and move <paramref name="at"/> there.</summary>
    private static string? WaitForWindow(
        Step step, int index, EvaluationScope scope, TemplateRenderer renderer, string? delay, ref DateTimeOffset? at, Dictionary<string, TemplateError> errors)
    {
        var (window, failure) = RunDecider.WindowOf(step, index, scope, renderer);
        if (failure is not null)
        {
            errors[failure.Path ?? $"steps[{index}].params.{SendWindow.Parameter}"] = new TemplateError(failure.Error);
            return delay;
        }

        if (window is null || at is not { } due)
        {
            return delay;
        }

        var opening = window.NextOpening(due);
        if (opening <= due)
        {
            return delay;
        }

        at = opening;
        var when = opening.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var wait = $"Outside its send window ({window.Describe()}): waits until {when}.";
        return delay is null ? wait : delay + " " + wait;
    }

    /// <summary>Describes a step's delay and moves <paramref name="at"/> to when the step would run.</summary>
    private static string? DescribeDelay(
        Step step, int index, EvaluationScope scope, TemplateRenderer renderer, ref DateTimeOffset? at, Dictionary<string, TemplateError> errors)
    {
        if (step.Delay is not { } delay)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(delay.Until))
        {
            if (delay.Duration <= TimeSpan.Zero)
            {
                return null;
            }

            at += delay.Duration;
            return "Waits " + Duration(delay) + ".";
        }

        var path = $"steps[{index}].delay.until";
        var rendered = renderer.Render(delay.Until, scope);
        if (rendered.Error is { } error)
        {
            errors[path] = error;
            return $"Waits until '{delay.Until}', which does not render.";
        }

        var text = rendered.Output?.Trim() ?? "";
        if (!DelayTimes.TryParse(text, scope.TimeZone, out var until))
        {
            errors[path] = new TemplateError($"'{text}' is not an ISO 8601 date-time.");
            return $"Waits until '{delay.Until}', which renders to '{text}', not a date-time.";
        }

        var when = until.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (at is { } due && until <= due)
        {
            return $"Waits until {when}, which is already past: runs without waiting.";
        }

        // After a step whose time is unknown this one's stays unknown: it runs at the later of the two.
        at = at is null ? null : until;
        return $"Waits until {when}.";
    }

    private static string Duration(Delay delay)
    {
        var parts = new List<string>(3);
        Add(parts, delay.Days, "day");
        Add(parts, delay.Hours, "hour");
        Add(parts, delay.Minutes, "minute");
        return string.Join(", ", parts);

        static void Add(List<string> parts, int? value, string unit)
        {
            if (value is > 0 and var v)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{v} {unit}{(v == 1 ? "" : "s")}"));
            }
        }
    }

    private static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids.Select(id => $"'{id}'"));
}
