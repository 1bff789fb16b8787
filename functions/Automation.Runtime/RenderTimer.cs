using System.Diagnostics;

namespace Automation.Runtime;

/// <summary>The stopwatch that bounds template renders in time (the engine takes it as a delegate: it reads no clock itself).</summary>
public static class RenderTimer
{
    public static Func<TimeSpan> Start()
    {
        var started = Stopwatch.GetTimestamp();
        return () => Stopwatch.GetElapsedTime(started);
    }
}
