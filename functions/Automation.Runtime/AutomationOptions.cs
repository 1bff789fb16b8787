namespace Automation.Runtime;

/// <summary>
/// <c>Automation:Storage</c>. Shape:
/// <code>
/// "Automation": { "Storage": {
///   "ConnectionString": "UseDevelopmentStorage=true",   // or an account connection string
///   "ServiceUri": null,                                  // in Azure: https://account.blob.core.windows.net (any of its service URIs), with DefaultAzureCredential
///   "TableServiceUri": null, "QueueServiceUri": null,    // only when the table or queue endpoint is not derivable from ServiceUri
///   "BlobServiceUri": null,                              // likewise for blobs (documents)
///   "Prefix": "automation"                               // every table and queue name starts with it
/// } }
/// </code>
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Automation:Storage";

    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    public Uri? ServiceUri { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    public string Prefix { get; set; } = "automation";

    /// <summary>
    /// Retries of one storage call (the SDK's own policy), and the wait before the first (doubling, at most 2 s). Kept
    /// short so that an outage is answered 503 within a few seconds rather than after the SDK's default 5-25 s; queue
    /// messages and clients retry the whole operation anyway.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one storage call may wait for an answer (the SDK's default is 100 s).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// <c>Automation:Runner</c>. Shape:
/// <code>
/// "Automation": { "Runner": {
///   "Pollers": true,                      // run the in-process events-queue poller (standalone); default: true; the Functions app sets false (its trigger calls the processor)
///   "Concurrency": 16,                    // messages processed at once per queue
///   "ReceiveBatchSize": 32,               // messages per receive call (the queue allows 32)
///   "PollMinDelay": "00:00:00.200",       // first wait after an empty receive
///   "PollMaxDelay": "00:00:05",           // longest wait between receives of an idle queue
///   "MaxCausationDepth": 5,               // events caused by actions deeper than this are not processed (invariant 7)
///   "LeaseDuration": "00:01:00",          // visibility timeout of a received events-queue message: how long a dead host's events wait before another processes them
///   "MaxDequeueCount": 5,                 // a message failing this many times goes to dead letters
///   "FailedMessageBackoff": "00:00:10",   // first wait before a failed message is tried again (doubles, at most 5 min)
///   "PausedRecheckInterval": "00:01:00",  // how often a run of a paused workflow looks again
///   "WorkflowCacheTtl": "00:00:30",       // how long workflow definitions are cached (writes on this instance refresh at once)
///   "InstanceId": null                    // names this instance's run-counter shards; random per process when empty
/// } }
/// </code>
/// </summary>
public sealed class RunnerOptions
{
    public const string Section = "Automation:Runner";

    public bool? Pollers { get; set; }

    public int Concurrency { get; set; } = 16;

    public int ReceiveBatchSize { get; set; } = 32;

    public TimeSpan PollMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan PollMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxCausationDepth { get; set; } = 5;

    /// <summary>
    /// Processing an event takes milliseconds and is idempotent (a second delivery resumes exactly the runs the first
    /// created), so a short lease costs nothing; a long one made a crashed host's events wait 5 minutes.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    public int MaxDequeueCount { get; set; } = 5;

    public TimeSpan FailedMessageBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan PausedRecheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan WorkflowCacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    public string? InstanceId { get; set; }
}

/// <summary>
/// <c>Automation:Outbound</c>. Shape:
/// <code>
/// "Automation": { "Outbound": {
///   "AllowedHosts": [ "127.0.0.1" ],   // hosts outbound HTTP may reach although private or loopback
///   "MaxResponseBytes": 65536,         // response bodies beyond this are cut (the step output keeps at most 8 KB)
///   "UserAgent": "Automation/1.0"
/// } }
/// </code>
/// </summary>
public sealed class OutboundOptions
{
    public const string Section = "Automation:Outbound";

    public List<string> AllowedHosts { get; set; } = [];

    public int MaxResponseBytes { get; set; } = 64 * 1024;

    public string UserAgent { get; set; } = "Automation/1.0";

    /// <summary>
    /// Longest wait a service's <c>Retry-After</c> may impose before a step's next attempt (webhooks, Slack, Twilio, the
    /// language model, CRM write-back): an answer of a day, or an HTTP date in 2099, must not park a run for that long.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromHours(1);
}
