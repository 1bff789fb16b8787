using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Automation.Host.Tests.Packaging;

/// <summary>
/// The packaged executable started the way the Functions host starts a custom handler: from the package folder,
/// with FUNCTIONS_CUSTOMHANDLER_PORT naming the port it must listen on.
/// </summary>
public sealed class PackagedHandler : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder log = new();

    private PackagedHandler(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static PackagedHandler Start(PackagedApp app, string executable)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(app.Folder, executable))
        {
            WorkingDirectory = app.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A self-contained package must not need an installed .NET; point the usual lookup nowhere.
        start.Environment["DOTNET_ROOT"] = Path.Combine(app.Folder, "no-dotnet-here");
        start.Environment["Automation__Storage__Prefix"] = "k" + Guid.NewGuid().ToString("N")[..10];

        var handler = new PackagedHandler(new Process { StartInfo = start }, port);
        handler.process.OutputDataReceived += (_, e) => handler.Append(e.Data);
        handler.process.ErrorDataReceived += (_, e) => handler.Append(e.Data);
        handler.process.Start();
        handler.process.BeginOutputReadLine();
        handler.process.BeginErrorReadLine();
        return handler;
    }

    public bool HasExited => process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
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
}
