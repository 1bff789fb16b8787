namespace Automation.Engine.Actions;

/// <summary>
/// What an action type is and takes: served as is by <c>GET /api/actions</c> (serialize with
/// <see cref="Json.EngineJson.Options"/>) and read by validation and the runner.
/// </summary>
public sealed record ActionDescriptor
{
    public required string Type { get; init; }

    public required ActionCategory Category { get; init; }

    /// <summary>One sentence for an admin.</summary>
    public required string Description { get; init; }

    public required IReadOnlyList<ActionParameter> Parameters { get; init; }

    /// <summary>Groups of alternatives of which one must be given (an email needs a body, an html body, a text body or a template).</summary>
    public IReadOnlyList<ParameterChoice> RequiredChoices { get; init; } = [];

    /// <summary>
    /// The action writes to the CRM (the enrolled record or a record it creates). The write comes back as an
    /// event, and that event carries the run's causation so that workflow chains stop at the depth limit (invariant 7).
    /// </summary>
    public bool ChangesRecord { get; init; }

    /// <summary>The channel it reaches the record through, when compliance applies (do-not-contact, opt-outs); else null.</summary>
    public ContactChannel? Channel { get; init; }

    /// <summary>True when a do-not-contact or opt-out mark on the record skips the step (invariant 6).</summary>
    public bool RespectsDoNotContact => Channel is not null;

    public ActionParameter? Parameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
