namespace Automation.Runtime.Tests.Infrastructure;

/// <summary>
/// A runtime of its own on the shared Azurite (tables and queues under a fresh prefix) and a webhook receiver, started
/// before each test and disposed after it (xUnit creates the test class for every test). A class with configuration of
/// its own overrides <see cref="Settings"/> or <see cref="Pollers"/>.
/// </summary>
public abstract class RuntimeTest : IAsyncLifetime
{
    protected RuntimeHost Host { get; private set; } = null!;

    protected WebhookReceiver Receiver { get; private set; } = null!;

    /// <summary>False: nothing polls the queues, so a test drives them by hand.</summary>
    protected virtual bool Pollers => true;

    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Host = await RuntimeHost.StartAsync(pollers: Pollers, settings: Settings);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
