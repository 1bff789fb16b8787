using Xunit;

namespace Automation.Testing;

/// <summary>
/// Polls until a condition holds. The bounds are generous because the machine is shared; they are not assertions on
/// time, only how long a test waits before it fails.
/// </summary>
public static class Eventually
{
    /// <summary>Reads until <paramref name="done"/> holds for what was read, and returns that; gives up after <paramref name="seconds"/>.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 60)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var until = DateTime.UtcNow.AddSeconds(seconds);
        T last;
        do
        {
            last = await read();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);

        throw new TimeoutException($"Gave up waiting for {what}; last seen: {last}");
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="describe"/> after the timeout (30 s).</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, Func<string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var until = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTimeOffset.UtcNow > until)
            {
                Assert.Fail("The condition did not hold in time. " + describe?.Invoke());
            }

            await Task.Delay(100);
        }
    }
}
