using Automation.Engine.Model;
using Automation.Engine.Runs;
using static Automation.Engine.Tests.Triggers.Defs;

namespace Automation.Engine.Tests.Runs;

/// <summary>A four-step workflow that exercises every decision, and runs positioned on it.</summary>
internal static class RunFixtures
{
    /// <summary>steps[0] plain, steps[1] waits 2 days, steps[2] waits until the renewal date, steps[3] runs only for hot leads.</summary>
    public static readonly Workflow Nurture = Workflow(
        """
        { "id": "wf-1", "version": 3, "name": "Nurture", "module": "lead", "status": "active",
          "trigger": { "type": "record.created" },
          "steps": [
            { "id": "welcome", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hi {{ record.firstName }}" } },
            { "id": "follow-up", "action": "create_task", "delay": { "days": 2 }, "params": { "title": "Call" } },
            { "id": "renewal", "action": "send_email", "delay": { "until": "{{ record.renewalDate }}" } },
            { "id": "hot-only", "action": "notify", "condition": { "field": "record.score", "op": "gte", "value": 50 } }
          ],
          "exitConditions": { "any": [ { "field": "record.status", "op": "eq", "value": "customer" } ] } }
        """);

    public static RunState Run(int cursor = 0, RunStatus status = RunStatus.Running, DateTimeOffset? cursorSince = null) => new()
    {
        RunId = "run-1",
        WorkflowId = "wf-1",
        WorkflowVersion = 3,
        Module = "lead",
        RecordId = "rec-1",
        Status = status,
        Cursor = cursor,
        CursorSince = cursorSince ?? Now,
        TriggerEventId = "evt-1",
        CreatedAt = Now.AddDays(-1),
        UpdatedAt = Now.AddDays(-1),
    };

    public static EvaluationScope Scope(string record, RunState run, TimeZoneInfo? timeZone = null, DateTimeOffset? now = null) => new()
    {
        Record = Parse(record),
        Run = RunContext.Build(run),
        Now = now ?? Now,
        TimeZone = timeZone ?? TimeZoneInfo.Utc,
    };

    public static Step StepAt(int index) => Nurture.Steps[index];
}
