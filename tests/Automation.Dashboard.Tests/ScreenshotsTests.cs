namespace Automation.Dashboard.Tests;

/// <summary>Test runs leave the tracked docs/screenshots alone unless asked to update them.</summary>
public sealed class ScreenshotsTests
{
    private static readonly string Output = AppContext.BaseDirectory;

    [Fact]
    public void Without_update_screenshots_they_go_to_the_test_output()
    {
        var path = Screenshots.Resolve(update: null, configured: null, Output);

        Assert.Equal(Path.Combine(Output, "screenshots"), path);
        Assert.DoesNotContain(Path.Combine("docs", "screenshots"), path, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_screenshots_1_writes_the_repository_docs()
    {
        var path = Screenshots.Resolve(update: "1", configured: null, Output);

        Assert.EndsWith(Path.Combine("docs", "screenshots"), path, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(path, "..", "..", "Automation.sln")));
    }
}
