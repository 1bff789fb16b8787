using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Engine.Conditions;
using Automation.Engine.Model;
using Automation.Engine.Templates;

namespace Automation.Engine.Runs;

/// <summary>Decides what a run does next. Pure: the runner passes the scope (latest record snapshot, run context) and <c>now</c>.</summary>
public static class RunDecider
{
    /// <summary>
    /// In order:
    /// <list type="number">
    /// <item>an ended run does nothing (a duplicate or late message must not revive it);</item>
    /// <item>all steps done: finish. This comes before the exit check on purpose: a run whose last step made an
    /// exit condition true (the step that converts the lead) did everything it was built to do and succeeded;</item>
    /// <item>an exit condition true: exit (checked before every step and before every wait, invariant 4);</item>
    /// <item>a step waiting for an outside decision (<see cref="RunState.AwaitKey"/>): keep waiting until its deadline,
    /// then run the step, whose action decides what the missed deadline means;</item>
    /// <item>the step's delay, not yet scheduled: wait until <see cref="RunState.CursorSince"/> plus the duration, or the
    /// rendered <c>until</c>; a moment already past runs the step now;</item>
    /// <item>a wake-up time still ahead (a delay or a retry backoff): keep waiting, never run early (invariant 3);</item>
    /// <item>the step's condition false: skip it;</item>
    /// <item>a communication step outside its <c>sendWindow</c>: wait for the window's next opening;</item>
    /// <item>else run the step.</item>
    /// </list>
    /// </summary>
    public static RunDecision Decide(RunState run, Workflow version, EvaluationScope scope, TemplateRenderer renderer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(renderer);

        if (run.Status is not (RunStatus.Running or RunStatus.Waiting))
        {
            return new NothingToDo($"The run is {run.Status.ToString().ToLowerInvariant()}; nothing is left to do.");
        }

        var steps = version.Steps;
        if (run.Cursor >= steps.Count)
        {
            return FinishRun.Instance;
        }

        if (version.ExitConditions is not null)
        {
            var exit = ConditionEvaluator.Evaluate(version.ExitConditions, scope, "exitConditions");
            if (exit.Result)
            {
                return new ExitRun(exit);
            }
        }

        var index = run.Cursor;
        var step = steps[index];
        if (run.AwaitKey is { } awaited)
        {
            return run.WakeAt switch
            {
                null => new NothingToDo($"Step '{step.Id}' waits for a decision ({awaited})."),
                { } deadline when now < deadline => new WaitUntil(deadline, index, NewDelay: false),
                _ => new RunStep(index, step, run.Attempt),
            };
        }

        if (step.Delay is { } delay && !run.DelayScheduled)
        {
            var due = DelayEnd(step, index, delay, run.CursorSince, scope, renderer);
            if (due.Failure is { } failure)
            {
                return failure;
            }

            if (due.At is { } at && at > now)
            {
                return new WaitUntil(at, index, NewDelay: true);
            }
        }

        if (run.WakeAt is { } wakeAt && now < wakeAt)
        {
            return new WaitUntil(wakeAt, index, NewDelay: false);
        }

        if (step.Condition is not null)
        {
            var trace = ConditionEvaluator.Evaluate(step.Condition, scope, $"steps[{index}].condition");
            if (!trace.Result)
            {
                return new SkipStep(index, step, trace);
            }
        }

        var window = WindowOf(step, index, scope, renderer);
        if (window.Failure is { } windowFailure)
        {
            return windowFailure;
        }

        if (window.Window is { } open && !open.IsOpen(now))
        {
            return new WaitUntil(open.NextOpening(now), index, NewDelay: true);
        }

        return new RunStep(index, step, run.Attempt);
    }

    /// <summary>
    /// The step's send window, rendered and read on the record as it is now (a <c>record.timeZone</c> follows the
    /// record). Null when the step's action has no window or the step sets none.
    /// </summary>
    public static (SendWindow? Window, FailRun? Failure) WindowOf(Step step, int index, EvaluationScope scope, TemplateRenderer renderer)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(renderer);
        if (step.Params is not { ValueKind: JsonValueKind.Object } parameters
            || !parameters.TryGetProperty(SendWindow.Parameter, out var given)
            || given.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined
            || !ActionRegistry.TryGet(step.Action, out var action)
            || action.Parameter(SendWindow.Parameter) is null)
        {
            return (null, null);
        }

        var path = $"steps[{index}].params.{SendWindow.Parameter}";
        var rendered = renderer.RenderParams(given, scope);
        if (!rendered.Ok)
        {
            var (at, error) = rendered.Errors.First();
            return (null, new FailRun($"Step '{step.Id}' ({Join(path, at)}): the template failed: {error.Message}", Join(path, at)));
        }

        var parsed = SendWindow.Parse(rendered.Rendered, scope);
        if (!parsed.Ok)
        {
            var (at, message) = parsed.Errors.First();
            return (null, new FailRun($"Step '{step.Id}' ({Join(path, at)}): {message}", Join(path, at)));
        }

        return (parsed.Window, null);
    }

    private static string Join(string path, string sub) =>
        sub.Length == 0 ? path : sub.StartsWith('[') ? path + sub : path + "." + sub;

    /// <summary>When a delay ends: the rendered <c>until</c> when given, else the start of the delay plus its duration (null: no wait at all).</summary>
    private static (DateTimeOffset? At, FailRun? Failure) DelayEnd(
        Step step, int index, Delay delay, DateTimeOffset since, EvaluationScope scope, TemplateRenderer renderer)
    {
        if (string.IsNullOrWhiteSpace(delay.Until))
        {
            var duration = delay.Duration;
            return (duration > TimeSpan.Zero ? since + duration : null, null);
        }

        var path = $"steps[{index}].delay.until";
        var rendered = renderer.Render(delay.Until, scope);
        if (rendered.Error is { } error)
        {
            return (null, new FailRun($"Step '{step.Id}' ({path}): the template failed: {error.Message}", path));
        }

        var text = rendered.Output?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return (null, new FailRun($"Step '{step.Id}' ({path}): the template rendered nothing; a date-time is needed.", path));
        }

        return DelayTimes.TryParse(text, scope.TimeZone, out var at)
            ? (at, null)
            : (null, new FailRun($"Step '{step.Id}' ({path}): '{text}' is not an ISO 8601 date-time.", path));
    }
}
