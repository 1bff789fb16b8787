namespace Automation.DurableLocal;

/// <summary>
/// <c>Automation:Durable</c>, as the local host reads it (the Functions app reads the same values from host.json's
/// <c>extensions.durableTask</c>). Shape:
/// <code>
/// "Automation": { "Durable": {
///   "HubName": "automation",                 // the task hub: tables {hub}Instances, {hub}History, queues {hub}-control-NN, {hub}-workitems
///   "PartitionCount": 1,                     // control queues; one worker needs one (fewer idle polls per run)
///   "MaxQueuePollingInterval": "00:00:01",   // longest back-off of an idle queue: bounds the start → first step latency
///   "ExtendedSessions": true,                // keep a busy orchestration in memory between episodes (fewer History reads)
///   "MaxConcurrentActivities": 16,           // activities (steps) at once per worker
///   "MaxConcurrentOrchestrations": 100,      // orchestration episodes at once per worker
///   "WorkItemVisibilityTimeout": "00:00:30", // how long a dead worker's activity stays hidden before another takes it
///   "ControlQueueVisibilityTimeout": "00:00:30", // the same for the orchestration messages it had taken (an activity's result)
///   "WorkerId": null                         // default: the machine name; a restarted worker with the same id resumes at once
/// } }
/// </code>
/// </summary>
public sealed class LocalDurableOptions
{
    public const string Section = "Automation:Durable";

    public int PartitionCount { get; set; } = 1;

    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    public bool ExtendedSessions { get; set; } = true;

    public int MaxConcurrentActivities { get; set; } = 16;

    public int MaxConcurrentOrchestrations { get; set; } = 100;

    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The framework's default is 5 minutes: a worker killed between taking an activity's result from the control queue
    /// and saving the orchestration's next step left that run stalled for 5 minutes after the restart (the host crash
    /// tests caught it). A running episode renews its messages, and one taken again while still in memory is recognised
    /// as a duplicate, so a short timeout costs nothing but a kill's delay.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string? WorkerId { get; set; }
}
