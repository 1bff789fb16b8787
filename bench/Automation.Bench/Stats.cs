namespace Automation.Bench;

public static class Stats
{
    /// <summary>Nearest-rank percentile (<paramref name="p"/> in 0..100); NaN for no values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Peak resident set of this process in bytes: VmHWM on Linux, else the runtime's peak working set.</summary>
    public static long PeakRssBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)
                    && long.TryParse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var kb))
                {
                    return kb * 1024;
                }
            }
        }

        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>CPU time (user + system) of another process from <c>/proc/{pid}/stat</c>; null when unreadable.</summary>
    public static TimeSpan? ProcessCpu(int? pid)
    {
        if (pid is not { } p)
        {
            return null;
        }

        try
        {
            var stat = File.ReadAllText($"/proc/{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}/stat");

            // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime and
            // stime are the 14th and 15th fields of the line, in clock ticks (USER_HZ, 100 on Linux).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Total memory of the machine in bytes (MemTotal), or what the GC may use when that is not readable.</summary>
    public static long MachineMemoryBytes()
    {
        const string meminfo = "/proc/meminfo";
        if (File.Exists(meminfo))
        {
            var line = File.ReadLines(meminfo).FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line["MemTotal:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var kb))
            {
                return kb * 1024;
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
