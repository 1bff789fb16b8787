namespace Automation.Engine.Actions;

/// <summary>
/// One parameter of an action type, as the dashboard shows it and as <see cref="Validation.WorkflowValidator"/> checks it.
/// </summary>
/// <param name="Name">The key in the step's <c>params</c> object.</param>
/// <param name="Type">What the value must be.</param>
/// <param name="Required">The step is invalid without a non-empty value.</param>
/// <param name="Template">Strings in the value (at any depth) are Liquid templates, syntax-checked on save and rendered at run time.</param>
/// <param name="Description">One sentence for an admin.</param>
public sealed record ActionParameter(
    string Name,
    ActionParameterType Type,
    bool Required,
    bool Template,
    string Description)
{
    /// <summary>The only values accepted, when the parameter is a choice (e.g. an HTTP method).</summary>
    public IReadOnlyList<string>? AllowedValues { get; init; }

    /// <summary>Lowest accepted number (number parameters only).</summary>
    public double? Minimum { get; init; }

    /// <summary>Highest accepted number (number parameters only).</summary>
    public double? Maximum { get; init; }

    /// <summary>Required only when another parameter has one of some values (<c>ownerId</c> when <c>strategy</c> is <c>fixed</c>).</summary>
    public ParameterCondition? RequiredWhen { get; init; }

    /// <summary>A credential: step logs mask its rendered value.</summary>
    public bool Secret { get; init; }
}

/// <summary>Holds when the parameter <see cref="Parameter"/> has one of <see cref="Values"/>.</summary>
public sealed record ParameterCondition(string Parameter, IReadOnlyList<string> Values);

/// <summary>
/// At least one of several ways to give something must be used: each option is a set of parameters that must
/// all be present (<c>[["webhookUrl"], ["channel", "botToken"]]</c>). <see cref="Description"/> is the message an admin
/// sees when none is.
/// </summary>
public sealed record ParameterChoice(IReadOnlyList<IReadOnlyList<string>> Options, string Description);
