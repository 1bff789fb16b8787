using System.Diagnostics;
using System.Text;

namespace Automation.Host.Tests.Packaging;

/// <summary>The Function App package built once per test class by scripts/package.sh, into a temporary folder.</summary>
public sealed class PackageFixture : IDisposable
{
    // A self-contained publish takes a minute or two on a shared CI machine; the limit only stops a hung build.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);

    private readonly string output = Path.Combine(Path.GetTempPath(), "automation-package-" + Guid.NewGuid().ToString("N"));
    private readonly Lazy<Task<PackagedApp>> package;

    public PackageFixture() => package = new Lazy<Task<PackagedApp>>(BuildAsync);

    /// <summary>Runs the packaging script on first use only, so tests that need no package do not wait for it.</summary>
    public Task<PackagedApp> GetAsync() => package.Value;

    public void Dispose()
    {
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private async Task<PackagedApp> BuildAsync()
    {
        var start = new ProcessStartInfo("bash", [RepositoryRoot.Combine("scripts", "package.sh")])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ARTIFACTS_DIR"] = output;
        // The test host runs under `dotnet test`, whose MSBuild variables would steer the nested build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            start.Environment.Remove(name);
        }

        var log = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/package.sh did not finish within {Limit}:\n{Text(log)}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/package.sh failed with exit code {process.ExitCode}:\n{Text(log)}");
        }

        return new PackagedApp(Path.Combine(output, "functionapp"), Path.Combine(output, "functionapp.zip"), Text(log));
    }

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
        }
    }

    private static string Text(StringBuilder log)
    {
        lock (log)
        {
            return log.ToString();
        }
    }
}

/// <summary>What scripts/package.sh produced: the folder azd would zip and the zip itself.</summary>
public sealed record PackagedApp(string Folder, string ZipPath, string Log);
