namespace Automation.Engine.Triggers;

/// <summary>
/// The record fields that status, stage, score and health triggers read. CRMs name these differently
/// (HubSpot's <c>dealstage</c>, Salesforce's <c>StageName</c>); intake maps them onto these names, so the
/// engine knows one vocabulary. Changing a name here changes which field every such trigger watches.
/// </summary>
public static class WellKnownFields
{
    public const string Status = "status";

    /// <summary>The pipeline stage name; stage.entered / stage.exited watch it.</summary>
    public const string Stage = "stage";

    /// <summary>The pipeline the stage belongs to: context for stage triggers, and moving pipelines counts as a stage change.</summary>
    public const string Pipeline = "pipeline";

    /// <summary>The default field of score.crossed (a trigger may name another).</summary>
    public const string Score = "score";

    public const string Health = "health";
}
