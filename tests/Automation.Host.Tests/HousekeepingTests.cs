using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Host.Tests;

public sealed class HousekeepingTests(HostFactory host) : IClassFixture<HostFactory>
{
    [Fact]
    public async Task The_host_logs_one_information_line_per_request_without_the_query()
    {
        var lines = new ConcurrentQueue<(string Category, LogLevel Level, string Message)>();
        using var logged = host.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(new Capture(lines))));
        var client = logged.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HostFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/actions?token=do-not-log")).StatusCode);

        var about = lines.Where(l => l.Level >= LogLevel.Information && l.Message.Contains("/api/actions", StringComparison.Ordinal)).ToArray();
        var line = Assert.Single(about);
        Assert.StartsWith("GET /api/actions 200 in ", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Message.Contains("do-not-log", StringComparison.Ordinal));
    }

    [Fact]
    public void The_maildev_log_is_not_tracked()
    {
        using var git = Process.Start(new ProcessStartInfo("git", "ls-files .maildev") { WorkingDirectory = RepositoryRoot.Path, RedirectStandardOutput = true })!;
        var tracked = git.StandardOutput.ReadToEnd();
        git.WaitForExit();

        Assert.Equal(0, git.ExitCode);
        Assert.Equal("", tracked.Trim());
    }

    private sealed class Capture(ConcurrentQueue<(string, LogLevel, string)> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
