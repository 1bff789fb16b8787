namespace Automation.Dashboard.Tests;

/// <summary>
/// One headless Chromium for every dashboard test: Debian's <c>chromium</c> (CI installs it with apt-get), driven by
/// Playwright through its executable path. Nothing is downloaded: a missing browser fails every test with what to do.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] LaunchArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at '{ChromiumPath}'. The dashboard tests drive a real browser: install Debian's " +
                "chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium executable. " +
                "Playwright's own browser download is never used.");
        }

        // Waiting for a run to appear crosses the queue, the runner and the page's refresh: give assertions room.
        SetDefaultExpectTimeout(20_000);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = LaunchArgs,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
    }
}

/// <summary>Browser tests share one Chromium and run one class at a time (the machine is small and so is CI's).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "dashboard";
}
