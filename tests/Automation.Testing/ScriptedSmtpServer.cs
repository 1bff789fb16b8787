using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Automation.Testing;

/// <summary>
/// A small SMTP server on 127.0.0.1 (port 0) for the replies MailDev never gives: it speaks the protocol (EHLO, MAIL,
/// RCPT, DATA, QUIT) and answers <c>RCPT TO</c> with 550 for an address containing "reject" and 451 for one containing
/// "later", 250 otherwise. Accepted messages are kept.
/// </summary>
public sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> accepted = new();
    private Task? loop;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyList<string> Accepted => accepted.ToArray();

    /// <summary>Every RCPT TO the server was given, accepted or not.</summary>
    public ConcurrentQueue<string> Recipients { get; } = new();

    public static ScriptedSmtpServer Start()
    {
        var server = new ScriptedSmtpServer();
        server.listener.Start();
        server.loop = server.AcceptAsync();
        return server;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 scripted.local ESMTP");
            try
            {
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                    switch (command)
                    {
                        case "EHLO":
                        case "HELO":
                            await writer.WriteLineAsync("250 scripted.local");
                            break;
                        case "MAIL":
                        case "RSET":
                        case "NOOP":
                            await writer.WriteLineAsync("250 2.0.0 OK");
                            break;
                        case "RCPT":
                            Recipients.Enqueue(line);
                            await writer.WriteLineAsync(
                                line.Contains("reject", StringComparison.OrdinalIgnoreCase) ? "550 5.1.1 No such user here"
                                : line.Contains("later", StringComparison.OrdinalIgnoreCase) ? "451 4.3.0 Mailbox busy, try again later"
                                : "250 2.1.5 OK");
                            break;
                        case "DATA":
                            await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                            var message = new StringBuilder();
                            while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".")
                            {
                                message.AppendLine(data);
                            }

                            accepted.Enqueue(message.ToString());
                            await writer.WriteLineAsync("250 2.0.0 Queued");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 2.0.0 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("502 5.5.2 Command not recognized");
                            break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the server stops.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        if (loop is not null)
        {
            await loop;
        }

        stop.Dispose();
    }
}
