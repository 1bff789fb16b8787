using Automation.Engine.Runs;
using Automation.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Automation.Runtime.Tests.Communication.CommunicationHost;

namespace Automation.Runtime.Tests.Communication;

/// <summary>
/// Send windows through real runs. The runtime's clock is set just before the event is sent (it runs on at real speed
/// from there), a few seconds before a window opens, so the wait is real but short: the run's orchestration waits on a
/// durable timer and the step sends at the opening.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SendWindowRunTests : IAsyncLifetime
{
    private readonly ShiftedClock clock = new();
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

        // Tuesday 1 January 2030, 5 s before the window opens.
        clock.Set(opening.AddSeconds(-5));
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
        // 06:30 UTC is 07:30 in Paris: inside 07:00-12:00 there, half an hour before the window would open in UTC.
        var to = MailDev.Address();
        var wf = await host.WorkflowAsync("""
            [ { "id": "mail", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Bonjour", "body": "x",
                "sendWindow": { "start": "07:00", "end": "12:00", "timeZone": "{{ record.timeZone }}" } } } ]
            """, "Paris");
        clock.Set(new DateTimeOffset(2030, 1, 1, 6, 30, 0, TimeSpan.Zero));

        var run = await host.RunAsync(wf, "W-2", new { email = to, timeZone = "Europe/Paris" });

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        Assert.True(Assert.Single(run.Steps).StartedAt < new DateTimeOffset(2030, 1, 1, 7, 0, 0, TimeSpan.Zero));
        Assert.Single(await MailDev.WaitForAsync(to));
    }

    /// <summary>Real time until set; from then on real time moved to the moment given.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        private long offsetTicks;

        public void Set(DateTimeOffset now) => Interlocked.Exchange(ref offsetTicks, (now - System.GetUtcNow()).Ticks);

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
    }
}
