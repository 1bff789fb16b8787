namespace Automation.Engine.Runs;

/// <summary>
/// How a step attempt failed, as its action reports it: whether another attempt may succeed (a timeout, a 5xx, a
/// 429) and how long the other side asked us to wait (<c>Retry-After</c>). A 4xx answer or a bad parameter is final.
/// </summary>
public sealed record StepFailure(string Message, bool Retryable, TimeSpan? RetryAfter = null);
