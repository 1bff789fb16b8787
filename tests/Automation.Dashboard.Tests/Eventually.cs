namespace Automation.Dashboard.Tests;

/// <summary>Polls the API until a condition holds; the bound is generous because the machine is shared, and it is not an assertion on time.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 60)
    {
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
}
