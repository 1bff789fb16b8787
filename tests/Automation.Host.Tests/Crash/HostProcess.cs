using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Automation.Testing;

namespace Automation.Host.Tests.Crash;

/// <summary>
/// The built host (<c>functions/Automation.Host/bin/{configuration}/net10.0</c>, the configuration these tests were
/// built in) run as a process of its own, with its queue pollers and its Durable Task worker, listening on a free
/// loopback port. <see cref="Kill"/> is SIGKILL: no shutdown code runs, so the worker's partition lease and the queue
/// messages it had received stay taken until they time out.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private const int OutputLines = 200;

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private HostProcess(Process process, Uri baseAddress, string adminKey)
    {
        this.process = process;
        BaseAddress = baseAddress;
        Admin = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>A client of this host with the admin key.</summary>
    public HttpClient Admin { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines the host wrote, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>
    /// Starts the host with <paramref name="environment"/> added to ours and <paramref name="adminKey"/> as its admin
    /// key, and waits until <c>/health</c> answers 200 (60 s at most).
    /// </summary>
    public static async Task<HostProcess> StartAsync(string adminKey, IReadOnlyDictionary<string, string> environment)
    {
        var dll = HostAssembly();
        var port = FreePort();
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment["Automation__Admin__Keys__0"] = adminKey;
        var host = new HostProcess(Process.Start(start) ?? throw new InvalidOperationException($"{dll} did not start."), new Uri($"http://127.0.0.1:{port}/"), adminKey);
        await host.WaitHealthyAsync();
        return host;
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Unix), then waits for the process to be gone.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        Admin.Dispose();
        process.Dispose();
    }

    private async Task WaitHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode} while starting:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("health", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"The host did not answer /health with 200 within 60 s:{Environment.NewLine}{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > OutputLines && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>The host's own build output in the configuration the tests were built in (bin/Debug or bin/Release).</summary>
    private static string HostAssembly()
    {
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = RepositoryRoot.Combine("functions", "Automation.Host", "bin", testDir.Parent!.Name, testDir.Name, "Automation.Host.dll");
        return File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"{dll} is missing: build functions/Automation.Host in {testDir.Parent.Name}.");
    }

    /// <summary>The dotnet that runs these tests (the test host is started by it), else the one on the PATH.</summary>
    private static string DotnetExecutable()
    {
        var fromHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromHost) && File.Exists(fromHost))
        {
            return fromHost;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
