using Automation.Engine.Model;
using Automation.Engine.Templates;
using Automation.Engine.Tests.Conditions;

namespace Automation.Engine.Tests.Templates;

internal static class TemplateScopes
{
    public const string Record = """
        {
          "firstName": "Ada", "lastName": "Lovelace", "contactName": "Ada Lovelace", "score": 72, "amount": 50000,
          "amountText": "1234.5", "ownerId": "u-7", "first_name": "ada", "address": { "city": "Paris", "zip": "75001" },
          "tags": ["hot", "web"], "dueDate": "2026-03-20T09:00:00Z", "localDue": "2026-03-20T09:00:00", "nickname": null,
          "vip": true
        }
        """;

    public static EvaluationScope Default(TimeZoneInfo? timeZone = null, DateTimeOffset? now = null) => Scopes.Of(
        record: Record,
        previous: """{ "score": 40, "stage": "MQL" }""",
        evt: """{ "id": "evt-1", "type": "record.updated", "data": { "name": "Trial Started" } }""",
        run: """{ "id": "run-9", "attempt": 2 }""",
        timeZone: timeZone,
        now: now);

    public static string Render(string template, EvaluationScope? scope = null, TemplateRenderer? renderer = null)
    {
        var result = (renderer ?? new TemplateRenderer()).Render(template, scope ?? Default());
        Assert.True(result.Ok, result.Error?.Message);
        return result.Output!;
    }
}
