using Automation.Engine.Model;

namespace Automation.Engine.Validation;

/// <summary>
/// The outcome of validating a workflow definition: every problem at once, keyed by JSON path
/// (<c>steps[2].params.subject</c>, <c>conditions.all[1].op</c>), ready for a problem+json <c>errors</c> map.
/// Problems with the document as a whole (not JSON, not an object, too large) are keyed <see cref="RootPath"/>.
/// </summary>
public sealed record ValidationResult
{
    /// <summary>The key of errors about the whole document, as in System.Text.Json paths.</summary>
    public const string RootPath = "$";

    public ValidationResult(IReadOnlyDictionary<string, string[]> errors, Workflow? workflow)
    {
        Errors = errors;
        Workflow = workflow;
    }

    public bool Valid => Errors.Count == 0;

    /// <summary>Path to messages, in a stable order: name, module, trigger, conditions, steps, exit conditions.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>The definition read with <see cref="Json.EngineJson.Options"/>; null unless <see cref="Valid"/>.</summary>
    public Workflow? Workflow { get; }
}
