using Automation.Runtime.Actions;

namespace Automation.Runtime.Crm;

/// <summary>
/// A CRM request that waits out short rate limits: a 429 is sent again after the wait the CRM asks for
/// (<c>Retry-After</c>, or what its answer says of its window), up to <see cref="Attempts"/> times when the wait is at most
/// <see cref="LongestWait"/>. A longer wait is left to the step's retry, which honours it.
/// </summary>
public static class CrmHttp
{
    public const int Attempts = 4;

    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(12);

    /// <param name="request">Makes the request afresh for each attempt (a request message is sent once).</param>
    /// <param name="windowOf">The wait a 429 without <c>Retry-After</c> asks for, read from its body; null when it says nothing.</param>
    public static async Task<HttpExchange> SendAsync(
        HttpClient client, Func<HttpRequestMessage> request, TimeSpan timeout, string service, Func<HttpExchange, TimeSpan?> windowOf,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(windowOf);
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            var exchange = await HttpExchange.SendAsync(client, message, timeout, service, cancellationToken);
            if (exchange.Status != 429)
            {
                return exchange;
            }

            var wait = exchange.RetryAfter ?? windowOf(exchange) ?? TimeSpan.FromSeconds(10);
            if (attempt >= Attempts || wait > LongestWait)
            {
                return exchange with { RetryAfter = wait };
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
