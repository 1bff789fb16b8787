namespace Automation.Runtime.Actions;

/// <summary>
/// One request to a service, with a deadline of its own, read to the end. A service that does not answer in time or
/// cannot be reached is a <see cref="Failure"/> that may be retried; a destination the outbound guard refused is one that
/// may not. An answer, whatever its status, is for the caller to judge.
/// </summary>
public sealed record HttpExchange(int Status, string? Reason, string Body, TimeSpan? RetryAfter, string? Failure, bool Retryable)
{
    /// <param name="service">Names the service in a failure, e.g. "Twilio": "Twilio did not answer within 30 s."</param>
    public static async Task<HttpExchange> SendAsync(
        HttpClient client, HttpRequestMessage request, TimeSpan timeout, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, deadline.Token);
            var body = await response.Content.ReadAsStringAsync(deadline.Token);
            return new((int)response.StatusCode, response.ReasonPhrase, body, response.Headers.RetryAfter?.Delta, null, false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"{service} did not answer within {timeout.TotalSeconds:0} s.", retryable: true);
        }
        catch (HttpRequestException e) when (OutboundBlockedException.FindIn(e) is { } blocked)
        {
            return Failed(blocked.Message, retryable: false);
        }
        catch (HttpRequestException e)
        {
            return Failed($"{service} could not be reached: {e.Message}", retryable: true);
        }
    }

    private static HttpExchange Failed(string failure, bool retryable) => new(0, null, "", null, failure, retryable);
}
