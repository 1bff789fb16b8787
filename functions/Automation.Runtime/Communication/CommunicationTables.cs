using Automation.Runtime.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;

namespace Automation.Runtime.Communication;

/// <summary>
/// The tables of the communication actions, named from the same prefix as the others (docs/storage.md):
/// <list type="bullet">
/// <item><c>{prefix}Templates</c>: email templates, one head and immutable versions each; and the tracking secret;</item>
/// <item><c>{prefix}Outbox</c>: email drafts waiting for an owner, one partition per record (the run's);</item>
/// <item><c>{prefix}Suppression</c>: addresses and numbers nothing may be sent to, one partition per kind;</item>
/// <item><c>{prefix}Notices</c>: in-app notifications, one partition per user;</item>
/// <item><c>{prefix}EmailStats</c>: email counters, one partition per workflow, sharded per process.</item>
/// </list>
/// </summary>
public sealed class CommunicationTables
{
    private readonly Lazy<Task> created;

    public CommunicationTables(AutomationStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var prefix = storage.Names.TablePrefix;
        Templates = storage.TableService.GetTableClient(prefix + "Templates");
        Outbox = storage.TableService.GetTableClient(prefix + "Outbox");
        Suppression = storage.TableService.GetTableClient(prefix + "Suppression");
        Notices = storage.TableService.GetTableClient(prefix + "Notices");
        EmailStats = storage.TableService.GetTableClient(prefix + "EmailStats");
        created = new Lazy<Task>(() => Task.WhenAll(All.Select(t => t.CreateIfNotExistsAsync())));
    }

    public TableClient Templates { get; }

    public TableClient Outbox { get; }

    public TableClient Suppression { get; }

    public TableClient Notices { get; }

    public TableClient EmailStats { get; }

    public IReadOnlyList<TableClient> All => [Templates, Outbox, Suppression, Notices, EmailStats];

    /// <summary>Creates the tables once per process.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken = default) => created.Value.WaitAsync(cancellationToken);
}

/// <summary>Creates the communication tables at startup, as <c>StorageInitializer</c> does the others.</summary>
internal sealed class CommunicationTablesInitializer(CommunicationTables tables) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => tables.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
