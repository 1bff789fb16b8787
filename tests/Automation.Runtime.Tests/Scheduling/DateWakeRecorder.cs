using Automation.DurableLocal;
using Automation.Runtime.Orchestration;
using Automation.Runtime.Scheduling;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Automation.Runtime.Tests.Scheduling;

/// <summary>
/// The scheduling tests move a manual clock through 2026 while the task hub's timers follow the real one: a date
/// wake-up's orchestration would fire at once. So these tests record the wake-ups that <see cref="DateTriggers"/>
/// schedules (and drive <see cref="DateTriggers.WakeAsync"/> by hand, as the orchestration's activity would), while
/// runs still go through the real local task hub. The wake-up orchestration itself, on real time, is tested in
/// <c>DateWakeOrchestrationTests</c>.
/// </summary>
public sealed class DateWakeRecorder(LocalDurableHost inner) : IDurableClientSource
{
    private readonly RecordingClient client = new(inner.Client);

    public DurableTaskClient Client => client;

    /// <summary>Wake-ups scheduled so far, by instance id (scheduling one again is the same instance).</summary>
    public IReadOnlyDictionary<string, DateWakeMessage> Wakes => client.Wakes;

    /// <summary>Forgets the wake-ups recorded so far, as if they had been scheduled by an older version of the workflow.</summary>
    public void Forget() => client.Forget();

    private sealed class RecordingClient(DurableTaskClient inner) : DurableTaskClient("recording")
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateWakeMessage> wakes = new();

        public IReadOnlyDictionary<string, DateWakeMessage> Wakes => wakes;

        public void Forget() => wakes.Clear();

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(
            TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
        {
            if (orchestratorName.Name == OrchestrationNames.DateWake && input is DateWakeMessage wake)
            {
                var id = options?.InstanceId ?? RunOrchestrations.DateWakeInstanceId(wake);
                wakes.TryAdd(id, wake);
                return Task.FromResult(id);
            }

            return inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);
        }

        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
            inner.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

        public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
            inner.TerminateInstanceAsync(instanceId, options, cancellation);

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            inner.SuspendInstanceAsync(instanceId, reason, cancellation);

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            inner.ResumeInstanceAsync(instanceId, reason, cancellation);

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            inner.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => inner.GetAllInstancesAsync(filter);

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            inner.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
