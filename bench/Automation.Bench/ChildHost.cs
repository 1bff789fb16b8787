using System.Collections.Concurrent;
using System.Diagnostics;

namespace Automation.Bench;

/// <summary>
/// A <see cref="BenchHost"/> in a process of its own (this program started again with <c>--child-host</c>), so that it
/// can be killed with SIGKILL: no shutdown code runs, and its leases and taken messages stay as a crash leaves them.
/// It prints its address on a line of its own, and stops cleanly (deleting its storage) when its standard input closes.
/// </summary>
public sealed class ChildHost : IDisposable
{
    public const string Flag = "--child-host";
    private const string Ready = "listening ";

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource<Uri> address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildHost(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The child's side: runs the host until standard input closes.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        await using var host = await BenchHost.StartAsync(
            Arg("--connection") ?? "UseDevelopmentStorage=true", Arg("--prefix"), Arg("--admin-key"), Arg("--worker-id"));
        Console.WriteLine(Ready + host.Address);
        await Console.In.ReadToEndAsync();
        return 0;
    }

    /// <summary>Starts a child on <paramref name="prefix"/>'s storage and waits until it listens (90 s at most).</summary>
    public static async Task<(ChildHost Child, AdminApi Api)> StartAsync(string connection, string prefix, string adminKey, string workerId)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Run by the dotnet muxer (as scripts/bench.sh does), the program is its first argument.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildHost).Assembly.Location);
        }

        foreach (var arg in new[] { Flag, "--connection", connection, "--prefix", prefix, "--admin-key", adminKey, "--worker-id", workerId })
        {
            start.ArgumentList.Add(arg);
        }

        var child = new ChildHost(Process.Start(start) ?? throw new InvalidOperationException("The child host did not start."));
        var ready = await Task.WhenAny(child.address.Task, Task.Delay(TimeSpan.FromSeconds(90)));
        if (ready != child.address.Task)
        {
            child.Kill();
            throw new InvalidOperationException("The child host did not listen within 90 s:" + Environment.NewLine + child.Output);
        }

        return (child, new AdminApi(await child.address.Task, adminKey));
    }

    public string Output => string.Join(Environment.NewLine, output);

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Unix), then waits for the process to be gone.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Closes its standard input, so that it stops and deletes its storage; kills it after 60 s.</summary>
    public async Task StopAsync()
    {
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Kill();
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith(Ready, StringComparison.Ordinal))
        {
            address.TrySetResult(new Uri(line[Ready.Length..]));
        }

        output.Enqueue(line);
        while (output.Count > 100 && output.TryDequeue(out _))
        {
        }
    }
}
