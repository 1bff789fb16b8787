using System.Text.Json;
using Automation.Engine.Model;

namespace Automation.Engine.Templates;

/// <summary>
/// Liquid (Fluid) templates over <c>record</c>, <c>previous</c>, <c>event</c>, <c>run</c>, <c>now</c>, plus
/// bracket merge fields (<c>[Contact Name]</c>). Thread-safe; parsed templates are cached.
/// </summary>
public sealed class TemplateRenderer
{
    public TemplateRenderer(TemplateLimits? limits = null)
    {
        Limits = limits ?? TemplateLimits.Default;
    }

    public TemplateLimits Limits { get; }

    /// <summary>Checks syntax only. Null when the template parses; else the error with line and column.</summary>
    public TemplateError? Check(string template)
    {
        // TODO(issue 3): implemented in the templates slice.
        throw new NotImplementedException();
    }

    /// <summary>Renders one template.</summary>
    public TemplateResult Render(string template, EvaluationScope scope)
    {
        throw new NotImplementedException();
    }

    /// <summary>
    /// Renders every string inside a step's params object (at any depth); other JSON values pass through.
    /// Errors are keyed by the param path relative to the params object (<c>subject</c>, <c>headers.X-Id</c>).
    /// </summary>
    public RenderedParams RenderParams(JsonElement? parameters, EvaluationScope scope)
    {
        throw new NotImplementedException();
    }
}

public sealed record TemplateLimits(int MaxOutputLength, int MaxSteps, int MaxTemplateLength)
{
    public static readonly TemplateLimits Default = new(MaxOutputLength: 256 * 1024, MaxSteps: 100_000, MaxTemplateLength: 64 * 1024);
}

/// <summary>A template problem: a message an admin understands, with line and column for syntax errors.</summary>
public sealed record TemplateError(string Message, int? Line = null, int? Column = null);

public sealed record TemplateResult(string? Output, TemplateError? Error)
{
    public bool Ok => Error is null;
}

/// <summary>The rendered params object (strings replaced by their output) and any errors by param path.</summary>
public sealed record RenderedParams(JsonElement Rendered, IReadOnlyDictionary<string, TemplateError> Errors)
{
    public bool Ok => Errors.Count == 0;
}
