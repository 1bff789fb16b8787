using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Host.Tests.Functions;

/// <summary>
/// Invocation payloads shaped as the Functions host sends them to a custom handler (documentation "Request payload";
/// azure-functions-host ScriptInvocationContextExtensions.ToHttpScriptInvocationContext). The host serializes every
/// trigger value and metadata value that is not an object with Json.NET first, so a string arrives JSON-encoded inside
/// the JSON string (<c>"\"text\""</c>) and a number as text (<c>"1"</c>); dates arrive as dates, objects as objects.
/// </summary>
internal static class HostPayloads
{
    /// <summary>What Json.NET's SerializeObject makes of a .NET string: the JSON string literal.</summary>
    private static string Encoded(string text) => JsonSerializer.Serialize(text);

    private static string Iso(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static JsonObject Sys(string function, DateTimeOffset now) => new()
    {
        ["MethodName"] = function,
        ["UtcNow"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    /// <summary>A queueTrigger invocation: <paramref name="content"/> is the message as the host read it (base64 already decoded).</summary>
    public static string Queue(string function, string content, DateTimeOffset now, long dequeueCount = 1, bool encoded = true) => new JsonObject
    {
        ["Data"] = new JsonObject { ["message"] = encoded ? Encoded(content) : content },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = dequeueCount.ToString(CultureInfo.InvariantCulture),
            ["ExpirationTime"] = "9999-12-31T23:59:59+00:00",
            ["Id"] = Encoded(Guid.NewGuid().ToString()),
            ["InsertionTime"] = Iso(now.AddSeconds(-2)),
            ["NextVisibleTime"] = Iso(now.AddSeconds(30)),
            ["PopReceipt"] = Encoded("AgAAAAMAAAAAAAAA8d5gQex+2AE="),
            ["sys"] = Sys(function, now),
        },
    }.ToJsonString();

    /// <summary>A serviceBusTrigger invocation (cardinality one) with the message body as text.</summary>
    public static string ServiceBus(string body, DateTimeOffset now, long deliveryCount = 1, string? messageId = null) => new JsonObject
    {
        ["Data"] = new JsonObject { ["message"] = Encoded(body) },
        ["Metadata"] = new JsonObject
        {
            ["DeliveryCount"] = deliveryCount.ToString(CultureInfo.InvariantCulture),
            ["MessageId"] = Encoded(messageId ?? Guid.NewGuid().ToString("N")),
            ["ContentType"] = Encoded("application/json"),
            ["EnqueuedTimeUtc"] = Iso(now.AddSeconds(-1)),
            ["ExpiresAtUtc"] = "9999-12-31T23:59:59+00:00",
            ["SequenceNumber"] = "42",
            ["UserProperties"] = new JsonObject(),
            ["ApplicationProperties"] = new JsonObject(),
            ["sys"] = Sys("ServiceBusEvents", now),
        },
    }.ToJsonString();

    /// <summary>A timerTrigger invocation (useMonitor: ScheduleStatus present after the first run).</summary>
    public static string Timer(DateTimeOffset now, bool pastDue = false) => new JsonObject
    {
        ["Data"] = new JsonObject
        {
            ["timer"] = new JsonObject
            {
                ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                ["ScheduleStatus"] = new JsonObject
                {
                    ["Last"] = Iso(now.AddMinutes(-1)),
                    ["Next"] = Iso(now.AddMinutes(1)),
                    ["LastUpdated"] = Iso(now.AddMinutes(-1)),
                },
                ["IsPastDue"] = pastDue,
            },
        },
        ["Metadata"] = new JsonObject { ["sys"] = Sys("Scheduler", now) },
    }.ToJsonString();
}
