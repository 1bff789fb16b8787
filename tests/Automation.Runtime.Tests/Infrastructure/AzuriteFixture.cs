using System.Diagnostics;
using System.Net.Sockets;

namespace Automation.Runtime.Tests.Infrastructure;

/// <summary>
/// One Azurite for every test: the one listening on 127.0.0.1:10000-10002 if there is one (scripts/start-azurite.sh,
/// CI), else one started here from the repository's node_modules, in memory, and stopped at the end.
/// Tests share it and isolate themselves with a unique table and queue prefix each.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Process? process;

    public async Task InitializeAsync()
    {
        if (await ListeningAsync(10002) && await ListeningAsync(10001))
        {
            return;
        }

        var root = RepositoryRoot.Path;
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not listening on 127.0.0.1:10002 and {azurite} is missing: run `npm install` in the repository root.");
        }

        var start = new ProcessStartInfo(azurite)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose", "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1" })
        {
            start.ArgumentList.Add(arg);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 120; i++)
        {
            if (await ListeningAsync(10002) && await ListeningAsync(10001))
            {
                return;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException("Azurite did not start listening on 127.0.0.1:10001-10002 within 30 s.");
    }

    public Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
        }

        return Task.CompletedTask;
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
