using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary>
/// Send windows through real runs. The runtime's clock is set a few seconds before a window opens (the clock runs on
/// at real speed from there), so the wait is real but short: the step waits on the steps queue and sends at the opening.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendWindowRunTests : IAsyncLifetime
{
    /// <summary>Tuesday 1 January 2030, 3 s before 09:00 UTC.</summary>
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 8, 59, 57, TimeSpan.Zero);

    private readonly ShiftedClock clock = new(Start);
    private RuntimeHost host = null!;

    public async Task InitializeAsync()
    {
        await MailDev.EnsureRunningAsync();
        host = await RuntimeHost.StartAsync(settings: Settings(), services: s => s.AddSingleton<TimeProvider>(clock));
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Outside_its_window_an_email_waits_for_the_opening_and_then_goes()
    {
        var to = MailDev.Address();
        var wf = await host.WorkflowAsync("""
            [ { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Morning", "body": "x",
                "sendWindow": { "days": ["tue"], "start": "09:00", "end": "17:00", "timeZone": "record.timeZone" } } } ]
            """);
        var opening = new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

        await host.SendAsync(Json.Event("record.created", "lead", "W-1", new { email = to, timeZone = "UTC" }));
        var waiting = await host.WaitForRunAsync("lead", "W-1", wf.Id!, r => r.Run.Status is RunStatus.Waiting or RunStatus.Succeeded);
        var run = await host.WaitForEndAsync("lead", "W-1", wf.Id!);

        Assert.Equal(RunStatus.Waiting, waiting.Run.Status);
        Assert.Equal(opening, waiting.Run.WakeAt);
        Assert.Empty(waiting.Steps);
        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var log = Assert.Single(run.Steps);
        Assert.True(log.StartedAt >= opening, $"The email went at {log.StartedAt:o}, before the window opened.");
        Assert.Single(await MailDev.WaitForAsync(to));
    }

    [Fact]
    public async Task Inside_its_window_in_the_record_s_time_zone_an_email_goes_at_once()
    {
        // 08:59 UTC is 09:59 in Paris: inside 09:00-17:00 there.
        var to = MailDev.Address();
        var wf = await host.WorkflowAsync("""
            [ { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Bonjour", "body": "x",
                "sendWindow": { "start": "09:00", "end": "17:00", "timeZone": "{{ record.timeZone }}" } } } ]
            """, "Paris");

        var run = await host.RunAsync(wf, "W-2", new { email = to, timeZone = "Europe/Paris" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.True(Assert.Single(run.Steps).StartedAt < new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero));
    }

    /// <summary>Real time, moved to <paramref name="start"/> when made.</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly TimeSpan offset = start - System.GetUtcNow();

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + offset;
    }
}
