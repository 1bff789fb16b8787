using System.Globalization;

namespace Automation.Bench;

/// <summary>
/// Command-line options. Defaults keep a full run under about three minutes on a 2-core machine;
/// <c>--quick</c> is a smoke run of about half a minute.
/// </summary>
public sealed record BenchOptions
{
    public const string Usage = """
        Automation.Bench: storage transactions, throughput and latency of the runtime against Azurite.

          --events N          events in the burst phase (5-step workflow, sent as fast as intake takes them); default 500
          --rate R            events per second in the fixed-rate phases; default 20
          --seconds S         length of each fixed-rate phase (latency, delay); default 15
          --delay-seconds D   the delay before step 2 of the delayed workflow; default 2
          --ceiling-seconds C how long the Azurite batch-write probe runs; default 6
          --connection CS     storage connection string; default UseDevelopmentStorage=true (Azurite)
          --quick             --events 150 --seconds 5 --ceiling-seconds 3, and 4 instead of 8 sparse delayed runs
        """;

    public int Events { get; init; } = 500;

    public double Rate { get; init; } = 20;

    public double Seconds { get; init; } = 15;

    public double DelaySeconds { get; init; } = 2;

    public double CeilingSeconds { get; init; } = 6;

    public string Connection { get; init; } = "UseDevelopmentStorage=true";

    public bool Quick { get; init; }

    /// <summary>Null with an error message when the arguments are wrong.</summary>
    public static (BenchOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var o = new BenchOptions();
        if (args.Contains("--quick", StringComparer.Ordinal))
        {
            o = o with { Events = 150, Seconds = 5, CeilingSeconds = 3, Quick = true };
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
                case "--seconds" when Positive(value) is { } s:
                    o = o with { Seconds = s };
                    break;
                case "--delay-seconds" when Positive(value) is { } d:
                    o = o with { DelaySeconds = d };
                    break;
                case "--ceiling-seconds" when Positive(value) is { } c:
                    o = o with { CeilingSeconds = c };
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
