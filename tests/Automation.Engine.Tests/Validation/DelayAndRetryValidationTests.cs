using System.Text.Json.Nodes;
using Automation.Engine.Model;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

public class DelayAndRetryValidationTests
{
    [Theory]
    [InlineData("""{ "minutes": 30 }""")]
    [InlineData("""{ "hours": 0 }""")]
    [InlineData("""{ "days": 365 }""")]
    [InlineData("""{ "days": 364, "hours": 23, "minutes": 60 }""")]
    [InlineData("""{ "minutes": 525600 }""")]
    [InlineData("""{ "until": "2025-06-01T09:00:00Z" }""")]
    [InlineData("""{ "until": "2025-06-01" }""")]
    [InlineData("""{ "days": 1, "until": "2025-06-01T09:00:00+02:00" }""")]
    [InlineData("""{ "days": 1, "hours": null }""")]
    public void Valid_delays_pass(string delay)
    {
        AssertValid(WithDelay(delay));
    }

    [Fact]
    public void A_delay_is_read_into_the_model()
    {
        var delay = Validate(WithDelay("""{ "days": 1, "hours": 2, "minutes": 3 }""")).Workflow!.Steps[1].Delay!;

        Assert.Equal(new TimeSpan(1, 2, 3, 0), delay.Duration);
    }

    [Theory]
    [InlineData("""{ "days": 366 }""")]
    [InlineData("""{ "days": 365, "minutes": 1 }""")]
    [InlineData("""{ "hours": 8761 }""")]
    [InlineData("""{ "days": 2147483647, "hours": 2147483647 }""")]
    public void A_delay_longer_than_365_days_is_refused(string delay)
    {
        AssertOnlyError(WithDelay(delay), "steps[1].delay", "A delay cannot be longer than 365 days.");
    }

    [Theory]
    [InlineData("""{ "days": -1 }""", "steps[1].delay.days")]
    [InlineData("""{ "hours": 1.5 }""", "steps[1].delay.hours")]
    [InlineData("""{ "minutes": "10" }""", "steps[1].delay.minutes")]
    [InlineData("""{ "days": 1e12 }""", "steps[1].delay.days")]
    public void Delay_amounts_must_be_non_negative_whole_numbers(string delay, string path)
    {
        AssertOnlyError(WithDelay(delay), path, "must be a whole number, 0 or more");
    }

    [Theory]
    [InlineData("""{ }""")]
    [InlineData("""{ "weeks": 2 }""")]
    [InlineData("""{ "days": null }""")]
    public void An_empty_delay_is_refused(string delay)
    {
        AssertOnlyError(WithDelay(delay), "steps[1].delay", "A delay needs minutes, hours, days or until");
    }

    [Theory]
    [InlineData("\"2 days\"")]
    [InlineData("172800")]
    public void A_delay_must_be_an_object(string delay)
    {
        AssertOnlyError(WithDelay(delay), "steps[1].delay", "must be an object");
    }

    [Theory]
    [InlineData("""{ "until": "next monday" }""", "is not a date-time")]
    [InlineData("""{ "until": 20250601 }""", "must be a date-time")]
    [InlineData("""{ "until": "" }""", "must be a date-time")]
    public void Until_must_be_a_date_time_or_a_template(string delay, string fragment)
    {
        AssertOnlyError(WithDelay(delay), "steps[1].delay.until", fragment);
    }

    [Theory]
    [InlineData("""{ "maxAttempts": 1 }""")]
    [InlineData("""{ "maxAttempts": 10, "initialIntervalSeconds": 0.5, "backoffCoefficient": 1, "maxIntervalSeconds": 60 }""")]
    [InlineData("""{ "backoffCoefficient": 3.5 }""")]
    [InlineData("""{ }""")]
    public void Valid_retry_policies_pass(string retry)
    {
        AssertValid(WithRetry(retry));
    }

    [Fact]
    public void A_retry_policy_is_read_into_the_model_with_defaults_for_what_is_left_out()
    {
        var retry = Validate(WithRetry("""{ "maxAttempts": 5 }""")).Workflow!.Steps[1].Retry!;

        Assert.Equal(5, retry.MaxAttempts);
        Assert.Equal(RetryPolicy.Default.InitialIntervalSeconds, retry.InitialIntervalSeconds);
    }

    [Theory]
    [InlineData("""{ "maxAttempts": 0 }""", "steps[1].retry.maxAttempts", "from 1 to 10")]
    [InlineData("""{ "maxAttempts": 11 }""", "steps[1].retry.maxAttempts", "from 1 to 10")]
    [InlineData("""{ "maxAttempts": 2.5 }""", "steps[1].retry.maxAttempts", "from 1 to 10")]
    [InlineData("""{ "maxAttempts": "3" }""", "steps[1].retry.maxAttempts", "from 1 to 10")]
    [InlineData("""{ "initialIntervalSeconds": 0 }""", "steps[1].retry.initialIntervalSeconds", "above 0")]
    [InlineData("""{ "maxIntervalSeconds": -5 }""", "steps[1].retry.maxIntervalSeconds", "above 0")]
    [InlineData("""{ "backoffCoefficient": 0.5 }""", "steps[1].retry.backoffCoefficient", "at least 1")]
    [InlineData("""{ "backoffCoefficient": "double" }""", "steps[1].retry.backoffCoefficient", "at least 1")]
    [InlineData("""3""", "steps[1].retry", "must be an object")]
    public void Retry_policies_are_bounded(string retry, string path, string fragment)
    {
        AssertOnlyError(WithRetry(retry), path, fragment);
    }

    private static JsonObject WithDelay(string delayJson) => With(d => d["steps"]![1]!["delay"] = JsonNode.Parse(delayJson));

    private static JsonObject WithRetry(string retryJson) => With(d => d["steps"]![1]!["retry"] = JsonNode.Parse(retryJson));
}
