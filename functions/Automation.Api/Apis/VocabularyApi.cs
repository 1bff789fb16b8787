using Automation.Engine.Actions;
using Automation.Runtime.Workflows;

namespace Automation.Api.Apis;

/// <summary><c>GET /api/vocabulary</c>: the one vocabulary the dashboard's editor offers (<see cref="Vocabulary"/>).</summary>
public static class VocabularyApi
{
    public static IEndpointRouteBuilder MapVocabularyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/vocabulary", async (WorkflowStore workflows, CancellationToken ct) =>
            {
                // Modules: the common ones, and every module a workflow uses, so a custom module is offered once it is in use.
                var page = await workflows.ListAsync(new WorkflowFilter { IncludeArchived = true }, 1000, null, ct);
                var modules = Vocabulary.CommonModules.Concat(page.Items.Select(w => w.Module.ToLowerInvariant()))
                    .Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
                return TypedResults.Ok(new VocabularyAnswer(
                    Vocabulary.Triggers, Vocabulary.Operators, Vocabulary.Retry, ActionRegistry.All, Vocabulary.EventTypes, modules));
            })
            .WithTags("actions")
            .WithSummary("Triggers, operators, retry settings, actions, event types and modules the editor offers")
            .RequireAuthorization(ApiSetup.AdminPolicy);
        return app;
    }

    public sealed record VocabularyAnswer(
        IReadOnlyList<Vocabulary.TriggerWords> Triggers,
        IReadOnlyList<Vocabulary.OperatorWords> Operators,
        IReadOnlyList<Vocabulary.RetryWords> Retry,
        IReadOnlyList<ActionDescriptor> Actions,
        IReadOnlyList<string> EventTypes,
        IReadOnlyList<string> Modules);
}
