namespace Automation.Engine.Actions;

/// <summary>How the dashboard groups actions.</summary>
public enum ActionCategory
{
    /// <summary>Reaches a person: email, SMS, call, chat, notifications.</summary>
    Communication,

    /// <summary>Writes to the CRM: fields, owner, status, stage, related records.</summary>
    Record,

    /// <summary>Calls another system.</summary>
    Integration,

    /// <summary>Starts other automation.</summary>
    Flow,
}

/// <summary>
/// A channel that compliance gates: a record marked do-not-contact, or opted out of the channel,
/// is never reached through it (docs/architecture.md, invariant 6).
/// </summary>
public enum ContactChannel
{
    Email,
    Sms,
    Call,
}
