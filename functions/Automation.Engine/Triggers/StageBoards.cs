using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Triggers;

/// <summary>A workflow as a stage board shows it: what it is, and how its trigger ties it to the stage.</summary>
/// <param name="Pipeline">The pipeline its trigger names; null when it fires in every pipeline.</param>
/// <param name="Note">How it is tied when that is not plain entry or exit, e.g. "from 'SQL'" for a stage change.</param>
public sealed record BoardWorkflow(string Id, string Name, WorkflowStatus Status, string Module, string TriggerType, string? Pipeline, string? Note);

/// <summary>One stage of a board: the workflows that run when a record enters it and when it leaves it.</summary>
public sealed record BoardStage(string Stage, IReadOnlyList<BoardWorkflow> OnEntry, IReadOnlyList<BoardWorkflow> OnExit);

/// <summary>
/// A pipeline's stages in order, each with its entry and exit workflows, and the workflows that run on any stage
/// change. <see cref="Pipeline"/> null: the board of every pipeline.
/// </summary>
public sealed record StageBoard(string? Pipeline, string? Module, IReadOnlyList<BoardStage> Stages, IReadOnlyList<BoardWorkflow> AnyStage);

/// <summary>A pipeline known to the boards: configured (with its stages in order), or named by a workflow's trigger.</summary>
public sealed record PipelineDefinition(string Name, string? Module, IReadOnlyList<string> Stages);

/// <summary>
/// Builds stage boards from the workflows' triggers (<c>stage.entered</c>, <c>stage.exited</c>, <c>stage.changed</c>)
/// and the configured pipelines. Stages come in the configured order, then those only the workflows name, in the order
/// first named. Archived workflows are left out; within a list the active ones come first, then by name.
/// </summary>
public static class StageBoards
{
    /// <summary>The configured pipelines, then those only triggers name (by name), each with the stages known for it.</summary>
    public static IReadOnlyList<PipelineDefinition> Pipelines(IReadOnlyList<PipelineDefinition> configured, IEnumerable<Workflow> workflows)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var staged = StagedOf(workflows).ToList();
        var named = staged.Select(w => w.Workflow.Trigger.Pipeline!).Where(p => !string.IsNullOrWhiteSpace(p))
            .Where(p => !configured.Any(c => Same(c.Name, p)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase);
        return configured.Concat(named.Select(p => new PipelineDefinition(p, null, []))).Select(p => p with
        {
            Module = p.Module ?? CommonModule(staged.Where(w => Same(w.Workflow.Trigger.Pipeline, p.Name)).Select(w => w.Workflow)),
            Stages = StagesOf(p, staged),
        }).ToList();
    }

    /// <summary>The board of <paramref name="pipeline"/> (null: every pipeline): workflows of that pipeline and those that name none.</summary>
    public static StageBoard Build(string? pipeline, IReadOnlyList<PipelineDefinition> configured, IEnumerable<Workflow> workflows)
    {
        ArgumentNullException.ThrowIfNull(configured);
        var staged = StagedOf(workflows)
            .Where(w => pipeline is null || w.Workflow.Trigger.Pipeline is null || Same(w.Workflow.Trigger.Pipeline, pipeline))
            .ToList();
        var definition = pipeline is null ? null : configured.FirstOrDefault(c => Same(c.Name, pipeline));
        var stages = pipeline is null
            ? configured.SelectMany(c => c.Stages).Concat(staged.SelectMany(w => w.Stages)).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
            : StagesOf(definition ?? new PipelineDefinition(pipeline, null, []), staged);
        var columns = stages.Select(stage => new BoardStage(
            stage,
            Listed(staged.Where(w => w.Entry is { } s && Same(s, stage))),
            Listed(staged.Where(w => w.Exit is { } s && Same(s, stage))))).ToList();
        var any = Listed(staged.Where(w => w.Entry is null && w.Exit is null));
        var module = definition?.Module ?? CommonModule(staged.Select(w => w.Workflow));
        return new StageBoard(definition?.Name ?? pipeline, module, columns, any);
    }

    private static bool Same(string? a, string? b) => string.Equals(a?.Trim(), b?.Trim(), StringComparison.OrdinalIgnoreCase);

    private static List<string> StagesOf(PipelineDefinition pipeline, IEnumerable<Staged> staged) =>
        pipeline.Stages
            .Concat(staged.Where(w => Same(w.Workflow.Trigger.Pipeline, pipeline.Name)).SelectMany(w => w.Stages))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    private static string? CommonModule(IEnumerable<Workflow> workflows) =>
        workflows.GroupBy(w => w.Module, StringComparer.OrdinalIgnoreCase).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key).FirstOrDefault();

    private static List<BoardWorkflow> Listed(IEnumerable<Staged> staged) =>
        staged.Select(s => s.Card)
            .OrderBy(w => w.Status == WorkflowStatus.Active ? 0 : 1)
            .ThenBy(w => w.Name, StringComparer.OrdinalIgnoreCase)
            .ThenBy(w => w.Id, StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<Staged> StagedOf(IEnumerable<Workflow> workflows)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        foreach (var wf in workflows.Where(w => w.Status != WorkflowStatus.Archived))
        {
            var t = wf.Trigger;
            var stage = string.IsNullOrWhiteSpace(t.Stage) ? null : t.Stage.Trim();
            switch (t.Type)
            {
                case TriggerTypes.StageEntered:
                    yield return new Staged(wf, stage, null, stage is null ? "on entering any stage" : null);
                    break;
                case TriggerTypes.StageExited:
                    yield return new Staged(wf, null, stage, stage is null ? "on leaving any stage" : null);
                    break;
                case TriggerTypes.StageChanged:
                    var from = Text(t.From);
                    var to = Text(t.To);
                    var note = (from, to) switch
                    {
                        (null, null) => "on any stage change",
                        (_, null) => $"from '{from}' to any stage",
                        (null, _) => $"from any stage to '{to}'",
                        _ => $"from '{from}' to '{to}'",
                    };
                    // A change to a stage is an entry into it; only a change from a stage (to anywhere) is an exit.
                    yield return new Staged(wf, to, to is null ? from : null, note);
                    break;
            }
        }
    }

    private static string? Text(JsonElement? value) =>
        value is { ValueKind: JsonValueKind.String } s && !string.IsNullOrWhiteSpace(s.GetString()) ? s.GetString()!.Trim()
        : value is { ValueKind: JsonValueKind.Number } n ? n.GetRawText()
        : null;

    private sealed record Staged(Workflow Workflow, string? Entry, string? Exit, string? Note)
    {
        public IEnumerable<string> Stages => new[] { Entry, Exit, Text(Workflow.Trigger.From) }.OfType<string>();

        public BoardWorkflow Card => new(
            Workflow.Id ?? "", Workflow.Name, Workflow.Status, Workflow.Module, Workflow.Trigger.Type, Workflow.Trigger.Pipeline, Note);
    }
}
