using System.Text.RegularExpressions;

namespace Automation.Dashboard.Tests;

/// <summary>
/// A fresh browser context on the host: its own sessionStorage (signed in with the admin key unless asked not to be),
/// a fixed locale and time zone, and a record of uncaught script errors so that a test fails on any.
/// </summary>
public sealed class Session : IAsyncDisposable
{
    public const int DesktopWidth = 1280;
    public const int DesktopHeight = 860;
    public const string TimeZone = "Asia/Tokyo";

    private readonly List<string> scriptErrors = [];

    private Session(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.PageError += (_, error) => scriptErrors.Add(error);
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<Session> StartAsync(BrowserFixture browser, DashboardHost host, bool signedIn = true, int width = DesktopWidth, int height = DesktopHeight)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = host.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = TimeZone,
            ReducedMotion = ReducedMotion.Reduce,
        });
        if (signedIn)
        {
            // Only the app's own document: a sandboxed frame (a draft's email preview) has no storage to write to.
            await context.AddInitScriptAsync($"if (window === window.top) window.sessionStorage.setItem('automation.adminKey', '{DashboardHost.AdminKey}');");
        }

        var page = await context.NewPageAsync();
        return new Session(context, page);
    }

    public async Task GoAsync(string path) => await Page.GotoAsync(path);

    /// <summary>Saves what the page shows now as docs/screenshots/{name}.png (viewport only, so the files stay small).</summary>
    public async Task ScreenshotAsync(string name, bool fullPage = false)
    {
        var path = Path.Combine(Screenshots.Directory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
    }

    public void AssertNoScriptErrors() =>
        Assert.True(scriptErrors.Count == 0, "The page threw: " + string.Join(" | ", scriptErrors));

    public static ILocator Pill(ILocator scope, string status) => scope.Locator($".pill[data-status=\"{status}\"]");

    public static Regex Text(string pattern) => new(pattern);

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}

/// <summary>
/// Where screenshots go: the test output's screenshots folder, so that a test run never rewrites the tracked
/// docs/screenshots; there only when UPDATE_SCREENSHOTS=1 asks for it; or DASHBOARD_SCREENSHOTS.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = Create(Resolve(
        Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS"), Environment.GetEnvironmentVariable("DASHBOARD_SCREENSHOTS"), AppContext.BaseDirectory));

    public static string Resolve(string? update, string? configured, string baseDirectory)
    {
        if (configured is { Length: > 0 })
        {
            return configured;
        }

        if (update == "1")
        {
            for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Automation.sln")))
                {
                    return Path.Combine(dir.FullName, "docs", "screenshots");
                }
            }
        }

        return Path.Combine(baseDirectory, "screenshots");
    }

    private static string Create(string path)
    {
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
