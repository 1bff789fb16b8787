namespace Automation.Bench;

/// <summary>What one phase measured. Transactions are counted from its first request until its last run was done.</summary>
public sealed record PhaseResult
{
    public required string Name { get; init; }

    public required int Runs { get; init; }

    public required int Steps { get; init; }

    /// <summary>From the first request until the last run's last step reached the receiver.</summary>
    public required TimeSpan Elapsed { get; init; }

    public required bool Completed { get; init; }

    /// <summary>Every request to storage: ours and the task hub's.</summary>
    public required long Transactions { get; init; }

    /// <summary>The part of <see cref="Transactions"/> that DurableTask.AzureStorage's own clients sent.</summary>
    public required long HubTransactions { get; init; }

    public required IReadOnlyDictionary<string, long> Traffic { get; init; }

    /// <summary>Runs (or baseline instances, Completed counted as Succeeded) by status.</summary>
    public required IReadOnlyDictionary<string, int> Statuses { get; init; }

    /// <summary>Mean time to an answer of each kind of storage request, in ms.</summary>
    public required IReadOnlyDictionary<string, double> MeanMs { get; init; }

    /// <summary>CPU time this whole process (host, receiver, client) used during the phase.</summary>
    public required TimeSpan Cpu { get; init; }

    /// <summary>CPU time Azurite used during the phase, when its process is known.</summary>
    public TimeSpan? AzuriteCpu { get; init; }

    /// <summary>Items sent per second in a fixed-rate phase; null for a burst.</summary>
    public double? Rate { get; init; }

    /// <summary>Accepted (202, or the start call returned) to the first step's webhook received, in ms.</summary>
    public IReadOnlyList<double> FirstStepMs { get; init; } = [];

    /// <summary>Sent to the first step's webhook received, in ms.</summary>
    public IReadOnlyList<double> FirstStepFromSendMs { get; init; } = [];

    /// <summary>The delayed step's webhook received minus its due time, in ms.</summary>
    public IReadOnlyList<double> LatenessMs { get; init; } = [];

    /// <summary>Delayed runs whose first step was done before the due time, so that they really waited on a timer.</summary>
    public int Waited { get; init; }

    public double TransactionsPerRun => Runs == 0 ? 0 : (double)Transactions / Runs;

    public double HubPerRun => Runs == 0 ? 0 : (double)HubTransactions / Runs;

    public double OursPerRun => TransactionsPerRun - HubPerRun;

    public double RunsPerSecond => Elapsed.TotalSeconds <= 0 ? 0 : Runs / Elapsed.TotalSeconds;

    public int Succeeded => Statuses.GetValueOrDefault("Succeeded");
}
