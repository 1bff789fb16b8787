using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Automation.Engine.Security;
using Automation.Testing;

namespace Automation.Host.Tests;

/// <summary>
/// The scripts a newcomer runs: post-lead.sh makes fresh ids, test.sh's services helper stops only what it started,
/// run.sh refuses an in-memory Azurite a test run left. Each runs on ports of its own, so the shared Azurite and
/// MailDev are never touched.
/// </summary>
public sealed class ScriptsTests
{
    private static async Task<(int Code, string Output)> BashAsync(string script, IReadOnlyDictionary<string, string> env)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in env)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static Dictionary<string, string> Ports() => new()
    {
        ["AZURITE_BLOB_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AZURITE_QUEUE_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["AZURITE_TABLE_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MAILDEV_SMTP_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MAILDEV_WEB_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Post_lead_posts_a_signed_lead_with_fresh_ids_every_time()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var env = new Dictionary<string, string> { ["AUTOMATION_URL"] = receiver.BaseUrl, ["AUTOMATION_INTAKE_SECRET"] = "script-secret" };
        for (var i = 0; i < 2; i++)
        {
            var (code, output) = await BashAsync("scripts/post-lead.sh --score 35 --source 'Trade \"show\"'", env);
            Assert.True(code == 0, output);
        }

        var posts = receiver.RequestsTo("api/events");
        Assert.Equal(2, posts.Count);
        var events = posts.Select(p => JsonDocument.Parse(p.Body).RootElement).ToArray();
        Assert.NotEqual(events[0].GetProperty("id").GetString(), events[1].GetProperty("id").GetString());
        Assert.NotEqual(events[0].GetProperty("recordId").GetString(), events[1].GetProperty("recordId").GetString());
        Assert.Equal("Trade \"show\"", events[0].GetProperty("record").GetProperty("source").GetString());
        Assert.Equal(35, events[0].GetProperty("record").GetProperty("score").GetInt32());
        Assert.All(posts, p => Assert.Equal(
            SignatureCheck.Valid,
            Signature.Verify(p.Header("X-Automation-Signature"), ["script-secret"], Encoding.UTF8.GetBytes(p.Body), DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task The_test_services_helper_stops_what_it_started_and_nothing_else()
    {
        // Already listening (someone else's): used, never stopped.
        var env = Ports();
        using var azurite = new TcpListener(IPAddress.Loopback, int.Parse(env["AZURITE_TABLE_PORT"], System.Globalization.CultureInfo.InvariantCulture));
        using var maildev = new TcpListener(IPAddress.Loopback, int.Parse(env["MAILDEV_SMTP_PORT"], System.Globalization.CultureInfo.InvariantCulture));
        azurite.Start();
        maildev.Start();
        var (code, output) = await BashAsync(". scripts/lib/services.sh && start_services && stop_started_services", env);
        Assert.True(code == 0, output);
        Assert.Contains("already listening", output, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped pid", output, StringComparison.Ordinal);

        // Nothing listening: started, then stopped.
        env = Ports();
        var table = int.Parse(env["AZURITE_TABLE_PORT"], System.Globalization.CultureInfo.InvariantCulture);
        var smtp = int.Parse(env["MAILDEV_SMTP_PORT"], System.Globalization.CultureInfo.InvariantCulture);
        (code, output) = await BashAsync(
            $". scripts/lib/services.sh && start_services && (exec 3<>/dev/tcp/127.0.0.1/{table}) && (exec 3<>/dev/tcp/127.0.0.1/{smtp}) && echo both-up && stop_started_services",
            env);
        Assert.True(code == 0, output);
        Assert.Contains("both-up", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("stopped pid").Length - 1);
        await Eventually.HoldsAsync(() => Task.FromResult(!Listening(table) && !Listening(smtp)), describe: () => "the started Azurite and MailDev to stop");
    }

    [Fact]
    public async Task Run_refuses_an_in_memory_Azurite_a_test_run_left_and_says_what_to_do()
    {
        var env = Ports();
        env["AZURITE_IN_MEMORY"] = "1";
        var table = env["AZURITE_TABLE_PORT"];
        var (code, output) = await BashAsync("scripts/start-azurite.sh", env);
        Assert.True(code == 0, output);
        var pid = (await File.ReadAllTextAsync(RepositoryRoot.Combine(".azurite", $"azurite-{table}.pid"))).Trim();
        try
        {
            env.Remove("AZURITE_IN_MEMORY");
            (code, output) = await BashAsync("scripts/run.sh", env);
            Assert.Equal(1, code);
            Assert.Contains("in-memory", output, StringComparison.Ordinal);
            Assert.Contains($"kill {pid}", output, StringComparison.Ordinal);
        }
        finally
        {
            await BashAsync($"kill {pid}", new Dictionary<string, string>());
        }
    }
}
