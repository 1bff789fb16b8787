using System.Globalization;

namespace Automation.Bench;

/// <summary>
/// Command-line options. Defaults keep a full run under about ten minutes on a 2-core machine;
/// <c>--quick</c> is a smoke run of under two minutes.
/// </summary>
public sealed record BenchOptions
{
    public const string Usage = """
        Automation.Bench: storage transactions (ours and the Durable task hub's), throughput and latency of the runtime
        on its Durable engine against Azurite, beside a bare Durable orchestration; then resume after a kill -9.

          --events N          events in the burst phases (5-step runs; half as many 1-step runs); default 300
          --rate R            events per second in the fixed-rate phase of immediate steps; default 20
          --delay-rate R      events per second in the fixed-rate phases with a delay; default 5 (at a rate the host
                              does not keep up with, step 1 ends after the due time and no timer is measured)
          --seconds S         length of each fixed-rate phase (latency, delay); default 10
          --delay-seconds D   the delay before step 2 of the delayed workflow; default 5
          --kill-delay-seconds K  the delay of the run parked when its host is killed; default 10
          --connection CS     storage connection string; default UseDevelopmentStorage=true (Azurite)
          --azurite-pid P     the Azurite process, to report its CPU time per run as well (Linux)
          --quick             --events 80 --seconds 3 --delay-seconds 3 --kill-delay-seconds 6, 2 instead of 8 sparse
                              delayed runs, and the kill with the same worker id only (a new one waits out the dead
                              worker's 30 s lease)
        """;

    public int Events { get; init; } = 300;

    public double Rate { get; init; } = 20;

    public double DelayRate { get; init; } = 5;

    public double Seconds { get; init; } = 10;

    public double DelaySeconds { get; init; } = 5;

    public double KillDelaySeconds { get; init; } = 10;

    public string Connection { get; init; } = "UseDevelopmentStorage=true";

    public bool Quick { get; init; }

    /// <summary>The Azurite process (Linux), so that its CPU time per run is reported too.</summary>
    public int? AzuritePid { get; init; }

    /// <summary>Null with an error message when the arguments are wrong.</summary>
    public static (BenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new BenchOptions();
        if (args.Contains("--quick", StringComparer.Ordinal))
        {
            o = o with { Events = 80, Seconds = 3, DelaySeconds = 3, KillDelaySeconds = 6, Quick = true };
        }

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--quick")
            {
                continue;
            }

            if (name is "--help" or "-h")
            {
                return (null, "");
            }

            if (i + 1 >= args.Count)
            {
                return (null, $"{name} needs a value.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--events" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0:
                    o = o with { Events = n };
                    break;
                case "--rate" when Positive(value) is { } r:
                    o = o with { Rate = r };
                    break;
                case "--delay-rate" when Positive(value) is { } dr:
                    o = o with { DelayRate = dr };
                    break;
                case "--seconds" when Positive(value) is { } s:
                    o = o with { Seconds = s };
                    break;
                case "--delay-seconds" when Positive(value) is { } d:
                    o = o with { DelaySeconds = d };
                    break;
                case "--kill-delay-seconds" when Positive(value) is { } k:
                    o = o with { KillDelaySeconds = k };
                    break;
                case "--azurite-pid" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0:
                    o = o with { AzuritePid = pid };
                    break;
                case "--connection" when value.Length > 0:
                    o = o with { Connection = value };
                    break;
                default:
                    return (null, $"Unknown option or bad value: {name} {value}");
            }
        }

        return (o, null);
    }

    private static double? Positive(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v) ? v : null;
}
