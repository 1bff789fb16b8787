using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions;

/// <summary>Outbound HTTP refused a destination: final, retrying will not help.</summary>
public sealed class OutboundBlockedException(string message) : Exception(message)
{
    /// <summary>The guard's refusal inside an <see cref="HttpRequestException"/> (or any wrapper), if that is what it is.</summary>
    public static OutboundBlockedException? FindIn(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is OutboundBlockedException blocked)
            {
                return blocked;
            }
        }

        return null;
    }
}

/// <summary>
/// Keeps workflow-defined URLs from reaching private, loopback or link-local addresses (the cloud metadata endpoint,
/// the storage emulator, internal services) unless the host is listed in <see cref="OutboundOptions.AllowedHosts"/>.
/// Checked where the socket connects, on the address actually used, so DNS tricks and redirects cannot get around it.
/// </summary>
public sealed class OutboundGuard(IOptions<OutboundOptions> options)
{
    public const string ClientName = "automation-outbound";

    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var allowed = options.Value.AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase);
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!allowed)
        {
            addresses = addresses.Where(a => !IsInternal(a)).ToArray();
            if (addresses.Length == 0)
            {
                throw new OutboundBlockedException(
                    $"Host '{host}' is a private, loopback or link-local address; add it to Automation:Outbound:AllowedHosts to allow it.");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] == 10
                || b[0] == 0
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }
}
