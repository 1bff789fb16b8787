using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using MimeKit;

namespace Automation.Testing;

/// <summary>An email as MailDev received it: its id there and the message as it went over the wire (headers included).</summary>
public sealed record ReceivedEmail(string Id, MimeMessage Message)
{
    public string Header(string name) => Message.Headers[name] ?? "";
}

/// <summary>
/// A real SMTP server for the tests: MailDev (npm), SMTP on 127.0.0.1:1025, its REST API on 127.0.0.1:1080. The one
/// already listening (scripts/start-maildev.sh, scripts/test.sh) or one started here from the repository's
/// node_modules. Tests read back what arrived for a recipient of their own (unique addresses keep tests apart), from
/// the raw message, so every header is there as sent.
/// </summary>
public static class MailDev
{
    public const string Host = "127.0.0.1";
    public const int SmtpPort = 1025;
    public const int WebPort = 1080;

    private static readonly HttpClient Http = new() { BaseAddress = new Uri($"http://{Host}:{WebPort}") };
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static Process? started;

    /// <summary>Configuration for a runtime or host that sends through MailDev.</summary>
    public static IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Automation:Email:Smtp:Host"] = Host,
        ["Automation:Email:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Automation:Email:From"] = "Automation Tests <automation@example.com>",
    };

    /// <summary>A fresh recipient address for one test.</summary>
    public static string Address(string name = "lead") => $"{name}-{Guid.NewGuid():N}@example.com";

    public static async Task EnsureRunningAsync()
    {
        if (await ListeningAsync(SmtpPort) && await ListeningAsync(WebPort))
        {
            return;
        }

        await Starting.WaitAsync();
        try
        {
            if (await ListeningAsync(SmtpPort) && await ListeningAsync(WebPort))
            {
                return;
            }

            var root = RepositoryRoot.Path;
            var maildev = Path.Combine(root, "node_modules", ".bin", "maildev");
            if (!File.Exists(maildev))
            {
                throw new InvalidOperationException($"MailDev is not listening on {Host}:{SmtpPort} and {maildev} is missing: run `npm install` in the repository root.");
            }

            var start = new ProcessStartInfo(maildev) { WorkingDirectory = root, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "--smtp", "1025", "--web", "1080", "--ip", Host, "--web-ip", Host, "--max-emails", "1000", "--silent" })
            {
                start.ArgumentList.Add(arg);
            }

            started = Process.Start(start) ?? throw new InvalidOperationException("MailDev did not start.");
            started.OutputDataReceived += (_, _) => { };
            started.ErrorDataReceived += (_, _) => { };
            started.BeginOutputReadLine();
            started.BeginErrorReadLine();
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                if (started is { HasExited: false })
                {
                    started.Kill(entireProcessTree: true);
                }
            };
            for (var i = 0; i < 120; i++)
            {
                if (await ListeningAsync(SmtpPort) && await ListeningAsync(WebPort))
                {
                    return;
                }

                await Task.Delay(250);
            }

            throw new InvalidOperationException($"MailDev did not start listening on {Host}:{SmtpPort} within 30 s.");
        }
        finally
        {
            Starting.Release();
        }
    }

    /// <summary>What arrived so far for <paramref name="recipient"/> (To, Cc or Bcc), oldest first.</summary>
    public static async Task<IReadOnlyList<ReceivedEmail>> ReceivedByAsync(string recipient)
    {
        using var list = JsonDocument.Parse(await Http.GetStringAsync("/api/email"));
        var ids = new List<string>();
        foreach (var email in list.RootElement.EnumerateArray())
        {
            var addresses = new[] { "to", "cc", "calculatedBcc" }
                .Where(p => email.TryGetProperty(p, out var a) && a.ValueKind == JsonValueKind.Array)
                .SelectMany(p => email.GetProperty(p).EnumerateArray())
                .Select(a => a.TryGetProperty("address", out var v) ? v.GetString() : null);
            var envelope = email.TryGetProperty("envelope", out var env) && env.TryGetProperty("to", out var envTo)
                ? envTo.EnumerateArray().Select(a => a.GetProperty("address").GetString())
                : [];
            if (addresses.Concat(envelope).Any(a => string.Equals(a, recipient, StringComparison.OrdinalIgnoreCase)))
            {
                ids.Add(email.GetProperty("id").GetString()!);
            }
        }

        var received = new List<ReceivedEmail>();
        foreach (var id in ids)
        {
            await using var source = await Http.GetStreamAsync($"/api/email/{id}/source");
            using var buffer = new MemoryStream();
            await source.CopyToAsync(buffer);
            buffer.Position = 0;
            received.Add(new ReceivedEmail(id, await MimeMessage.LoadAsync(buffer)));
        }

        return received;
    }

    /// <summary>Waits (up to 30 s) until <paramref name="count"/> emails arrived for the recipient.</summary>
    public static async Task<IReadOnlyList<ReceivedEmail>> WaitForAsync(string recipient, int count = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var received = await ReceivedByAsync(recipient);
            if (received.Count >= count)
            {
                return received;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{received.Count} email(s) arrived for {recipient}; expected {count}.");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<bool> ListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Host, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

}
