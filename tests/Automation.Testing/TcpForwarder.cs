using System.Net;
using System.Net.Sockets;

namespace Automation.Testing;

/// <summary>
/// Forwards a local port to another (Azurite's, say) until <see cref="CloseAsync"/>: then the port is closed and open
/// connections are cut, as when the service behind it goes down. Loopback only.
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly int target;
    private readonly CancellationTokenSource stop = new();
    private readonly List<TcpClient> open = [];
    private readonly Task accepting;

    public TcpForwarder(int targetPort)
    {
        target = targetPort;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var outbound = new TcpClient();
            lock (open)
            {
                open.Add(inbound);
                open.Add(outbound);
            }

            _ = PipeAsync(inbound, outbound);
        }
    }

    private async Task PipeAsync(TcpClient inbound, TcpClient outbound)
    {
        try
        {
            await outbound.ConnectAsync(IPAddress.Loopback, target, stop.Token);
            using var a = inbound.GetStream();
            using var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, stop.Token), b.CopyToAsync(a, stop.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The forwarder closed, or one side hung up.
        }
        finally
        {
            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public async Task CloseAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        lock (open)
        {
            foreach (var client in open)
            {
                client.Dispose();
            }
        }

        await accepting;
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested)
        {
            await CloseAsync();
        }

        stop.Dispose();
    }
}
