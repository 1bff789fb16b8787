namespace Automation.Runtime.Orchestration;

/// <summary>
/// <c>Automation:Durable</c>: what both hosts must agree on. The Functions app passes the same setting to host.json's
/// <c>extensions.durableTask.hubName</c>; the local host reads more of this section (see its options).
/// </summary>
public sealed class DurableOptions
{
    public const string Section = "Automation:Durable";

    /// <summary>
    /// The task hub: its tables (<c>{hub}Instances</c>, <c>{hub}History</c>) are what Durable Functions Monitor and the
    /// run page read. Letters and digits, 3 to 45, starting with a letter. Default: the storage prefix as tables spell it
    /// (<c>automation</c>), so that instances sharing one account with prefixes of their own get hubs of their own.
    /// </summary>
    public string? HubName { get; set; }

    public string HubFor(Storage.StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return string.IsNullOrWhiteSpace(HubName) ? names.TablePrefix : HubName.Trim();
    }
}
