using System.Net;
using System.Text.Json;
using Automation.Testing;

namespace Automation.Host.Tests;

/// <summary>
/// /api/segments end to end on Azurite: validation and CRUD, workflows naming segments, and membership kept per record,
/// so that segment.entered and segment.exited workflows run once per entry and exit through real event processing.
/// </summary>
public sealed class SegmentsApiTests(HostFactory host) : IClassFixture<HostFactory>, IAsyncLifetime
{
    private WebhookReceiver receiver = null!;

    public async Task InitializeAsync() => receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync() => await receiver.DisposeAsync();

    private static string HotSegment(string module, int threshold = 80) => $$"""
        { "name": "Hot {{module}}", "module": "{{module}}", "description": "Scored {{threshold}} or more",
          "conditions": { "field": "record.score", "op": "gte", "value": {{threshold}} } }
        """;

    private string Workflow(string module, string type, string segment, string status = "active") => JsonSerializer.Serialize(new
    {
        name = $"On {type} {segment}",
        module,
        status,
        enrollment = "every_time",
        trigger = new { type, segment },
        steps = new object[] { new { id = "notify", action = "call_webhook", @params = new { url = receiver.Url($"{segment}/{type}"), method = "POST", body = new { record = "{{ record.id }}" } } } },
    });

    private static string Event(string module, string recordId, string type, int score, DateTimeOffset at) => $$"""
        { "id": "{{Guid.NewGuid():N}}", "type": "{{type}}", "module": "{{module}}", "recordId": "{{recordId}}", "occurredAt": "{{at:O}}",
          "record": { "id": "{{recordId}}", "score": {{score}} } }
        """;

    private async Task<JsonElement> PostAsync(string path, string json, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await host.Admin().PostAsync(path, Json.Body(json));
        var body = await response.ReadAsync();
        Assert.True(expected == response.StatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>The record as the processor left it once the event's state is stored: snapshot, runs and segments written in one batch.</summary>
    private async Task<JsonElement> RecordWhenAsync(string module, string recordId, Func<JsonElement, bool> done, string what) =>
        await Eventually.GetAsync(
            async () =>
            {
                var response = await host.Admin().GetAsync($"/api/records/{module}/{recordId}");
                return response.StatusCode == HttpStatusCode.OK ? await response.ReadAsync() : default;
            },
            r => r.ValueKind == JsonValueKind.Object && done(r),
            what);

    private static int Score(JsonElement record) => record.GetProperty("record").GetProperty("fields").GetProperty("score").GetInt32();

    private static string[] Segments(JsonElement record) =>
        record.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("id").GetString()!).ToArray();

    private static int RunsOf(JsonElement record, string workflowId) =>
        record.GetProperty("runs").EnumerateArray().Count(r => r.GetProperty("workflowId").GetString() == workflowId);

    [Fact]
    public async Task A_segment_is_created_read_listed_edited_and_deleted()
    {
        var created = await PostAsync("/api/segments", HotSegment("seg_crud"));
        var id = created.GetProperty("id").GetString()!;
        Assert.StartsWith("hot-seg-crud-", id, StringComparison.Ordinal);
        Assert.Equal("seg_crud", created.GetProperty("module").GetString());
        Assert.Equal("gte", created.GetProperty("conditions").GetProperty("op").GetString());

        var admin = host.Admin();
        Assert.Equal("Hot seg_crud", (await (await admin.GetAsync($"/api/segments/{id}")).ReadAsync()).GetProperty("name").GetString());
        var listed = (await (await admin.GetAsync("/api/segments?module=seg_crud")).ReadAsync()).GetProperty("items");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        Assert.Empty((await (await admin.GetAsync("/api/segments?module=seg_other")).ReadAsync()).GetProperty("items").EnumerateArray());

        var replaced = await admin.PutAsync($"/api/segments/{id}", Json.Body(HotSegment("seg_crud", 90).Replace("Hot seg_crud", "Very hot", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var edited = await (await admin.GetAsync($"/api/segments/{id}")).ReadAsync();
        Assert.Equal(("Very hot", 90), (edited.GetProperty("name").GetString(), edited.GetProperty("conditions").GetProperty("value").GetInt32()));
        Assert.Equal(created.GetProperty("createdAt").GetDateTimeOffset(), edited.GetProperty("createdAt").GetDateTimeOffset());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/segments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/segments/{id}")).StatusCode);
        Assert.Empty((await (await admin.GetAsync("/api/segments?module=seg_crud")).ReadAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsync($"/api/segments/{id}", Json.Body(HotSegment("seg_crud")))).StatusCode);

        // Records may still name a deleted segment until their next event: its id is not given to another.
        var reused = await admin.PostAsync("/api/segments", Json.Body(HotSegment("seg_crud").Replace("{ \"name\"", $"{{ \"id\": \"{id}\", \"name\"", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Contains("never given again", (await reused.ReadAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_a_problem_naming_the_field_and_nothing_is_saved()
    {
        var problem = await PostAsync(
            "/api/segments",
            """{ "name": "", "module": "seg_bad", "conditions": { "field": "previous.score", "op": "gt", "value": 1 } }""",
            HttpStatusCode.BadRequest);

        Assert.Contains(problem.ErrorsAt("name"), m => m.Contains("needs a name", StringComparison.Ordinal));
        Assert.Contains(problem.ErrorsAt("conditions.field"), m => m.Contains("read the record only", StringComparison.Ordinal));
        Assert.Empty((await (await host.Admin().GetAsync("/api/segments?module=seg_bad")).ReadAsync()).GetProperty("items").EnumerateArray());

        // A segment keeps its module: workflows that name it were written for that module.
        var id = (await PostAsync("/api/segments", HotSegment("seg_bad"))).GetProperty("id").GetString()!;
        var moved = await host.Admin().PutAsync($"/api/segments/{id}", Json.Body(HotSegment("seg_moved")));
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        Assert.Contains((await moved.ReadAsync()).ErrorsAt("module"), m => m.Contains("cannot change", StringComparison.Ordinal));

        var taken = await host.Admin().PostAsync("/api/segments", Json.Body(HotSegment("seg_bad").Replace("{ \"name\"", $"{{ \"id\": \"{id}\", \"name\"", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
    }

    [Fact]
    public async Task A_module_has_at_most_two_hundred_segments()
    {
        for (var i = 0; i < 200; i++)
        {
            await PostAsync("/api/segments", HotSegment("seg_many", i));
        }

        var refused = await host.Admin().PostAsync("/api/segments", Json.Body(HotSegment("seg_many", 500)));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("200 segments", (await refused.ReadAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await host.Admin().PostAsync("/api/segments", Json.Body(HotSegment("seg_few")))).StatusCode);
    }

    [Fact]
    public async Task A_workflow_must_name_an_existing_segment_of_its_module_and_a_named_segment_cannot_be_deleted()
    {
        var unknown = await PostAsync("/api/workflows", Workflow("seg_ref", "segment.entered", "no-such-segment"), HttpStatusCode.BadRequest);
        Assert.Contains(unknown.ErrorsAt("trigger.segment"), m => m.Contains("does not exist", StringComparison.Ordinal));
        var check = await PostAsync("/api/workflows/validate", Workflow("seg_ref", "segment.entered", "no-such-segment"), HttpStatusCode.BadRequest);
        Assert.Contains(check.ErrorsAt("trigger.segment"), m => m.Contains("does not exist", StringComparison.Ordinal));

        var id = (await PostAsync("/api/segments", HotSegment("seg_ref"))).GetProperty("id").GetString()!;
        var otherModule = await PostAsync("/api/workflows", Workflow("seg_elsewhere", "segment.entered", id), HttpStatusCode.BadRequest);
        Assert.Contains(otherModule.ErrorsAt("trigger.segment"), m => m.Contains("lists seg_ref records", StringComparison.Ordinal));

        var workflow = await PostAsync("/api/workflows", Workflow("seg_ref", "segment.exited", id, status: "draft"));
        var refused = await host.Admin().DeleteAsync($"/api/segments/{id}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.ReadAsync();
        Assert.Contains(workflow.GetProperty("id").GetString()!, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(workflow.GetProperty("id").GetString(), Assert.Single(problem.GetProperty("workflows").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.Admin().GetAsync($"/api/segments/{id}")).StatusCode);

        // Once no live workflow names it, it goes.
        Assert.Equal(HttpStatusCode.OK, (await host.Admin().DeleteAsync($"/api/workflows/{workflow.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await host.Admin().DeleteAsync($"/api/segments/{id}")).StatusCode);
    }

    [Fact]
    public async Task Entering_and_leaving_a_segment_run_its_workflows_once_per_change()
    {
        const string module = "seg_run";
        var segment = (await PostAsync("/api/segments", HotSegment(module))).GetProperty("id").GetString()!;
        var entered = (await PostAsync("/api/workflows", Workflow(module, "segment.entered", segment))).GetProperty("id").GetString()!;
        var exited = (await PostAsync("/api/workflows", Workflow(module, "segment.exited", segment))).GetProperty("id").GetString()!;
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);

        // Created below the threshold: in no segment, no run.
        await PostAsync("/api/events", Event(module, "R-1", "record.created", 50, at), HttpStatusCode.Accepted);
        var record = await RecordWhenAsync(module, "R-1", r => Score(r) == 50, "R-1 at 50");
        Assert.Empty(Segments(record));
        Assert.Equal((0, 0), (RunsOf(record, entered), RunsOf(record, exited)));

        // Comes to match: enters, and the segment.entered workflow runs.
        await PostAsync("/api/events", Event(module, "R-1", "record.updated", 90, at.AddMinutes(1)), HttpStatusCode.Accepted);
        record = await RecordWhenAsync(module, "R-1", r => Score(r) == 90, "R-1 at 90");
        Assert.Equal([segment], Segments(record));
        Assert.Equal((1, 0), (RunsOf(record, entered), RunsOf(record, exited)));
        Assert.Equal(["R-1"], await MembersAsync(segment));

        // Still matches: already in, nothing enters again.
        await PostAsync("/api/events", Event(module, "R-1", "record.updated", 95, at.AddMinutes(2)), HttpStatusCode.Accepted);
        record = await RecordWhenAsync(module, "R-1", r => Score(r) == 95, "R-1 at 95");
        Assert.Equal([segment], Segments(record));
        Assert.Equal((1, 0), (RunsOf(record, entered), RunsOf(record, exited)));

        // No longer matches: leaves, and the segment.exited workflow runs.
        await PostAsync("/api/events", Event(module, "R-1", "record.updated", 10, at.AddMinutes(3)), HttpStatusCode.Accepted);
        record = await RecordWhenAsync(module, "R-1", r => Score(r) == 10, "R-1 at 10");
        Assert.Empty(Segments(record));
        Assert.Equal((1, 1), (RunsOf(record, entered), RunsOf(record, exited)));
        Assert.Empty(await MembersAsync(segment));

        // The record's events say which segments each event made it enter or leave.
        var events = (await (await host.Admin().GetAsync($"/api/records/{module}/R-1/events")).ReadAsync()).GetProperty("items");
        Assert.Equal(
            [("", segment), ("", ""), (segment, ""), ("", "")],
            events.EnumerateArray().Select(e => (Ids(e, "segmentsEntered"), Ids(e, "segmentsExited"))));
        var exitJudgement = events[0].GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("workflowId").GetString() == exited);
        Assert.Equal("enrolled", exitJudgement.GetProperty("outcome").GetString());
        var enterJudgement = events[0].GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("workflowId").GetString() == entered);
        Assert.Contains("trigger waits for it to enter", enterJudgement.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // Both runs did their step.
        await Eventually.GetAsync(() => Task.FromResult(receiver.RequestsTo($"{segment}/segment.exited").Count), n => n == 1, "the exit webhook");
        Assert.Single(receiver.RequestsTo($"{segment}/segment.entered"));
    }

    /// <summary>Every record GET /api/segments/{id}/records lists, page after page.</summary>
    private async Task<string[]> MembersAsync(string segment)
    {
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await (await host.Admin().GetAsync($"/api/segments/{segment}/records?limit=1" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}"))).ReadAsync();
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("recordId").GetString()!));
            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    private static string Ids(JsonElement item, string name) => string.Join(",", item.GetProperty(name).EnumerateArray().Select(i => i.GetString()));

    [Fact]
    public async Task A_dry_run_of_a_segment_workflow_judges_the_event_against_the_records_stored_membership()
    {
        const string module = "seg_test";
        var segment = (await PostAsync("/api/segments", HotSegment(module))).GetProperty("id").GetString()!;
        var workflow = (await PostAsync("/api/workflows", Workflow(module, "segment.entered", segment, status: "draft"))).GetProperty("id").GetString()!;
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await PostAsync("/api/events", Event(module, "R-4", "record.created", 40, at), HttpStatusCode.Accepted);
        await RecordWhenAsync(module, "R-4", r => Score(r) == 40, "R-4 at 40");

        var rising = await PostAsync($"/api/workflows/{workflow}/test", $$"""{ "event": {{Event(module, "R-4", "record.updated", 90, at.AddMinutes(1))}} }""", HttpStatusCode.OK);
        Assert.True(rising.GetProperty("trigger").GetProperty("matched").GetBoolean(), rising.GetProperty("trigger").GetProperty("reason").GetString());

        var stored = await PostAsync($"/api/workflows/{workflow}/test", """{ "recordId": "R-4" }""", HttpStatusCode.OK);
        Assert.Equal($"The record was not in segment '{segment}' and still is not: it did not enter.", stored.GetProperty("trigger").GetProperty("reason").GetString());

        // Nothing of the dry runs was stored: the record is still at 40 and in no segment.
        var record = await RecordWhenAsync(module, "R-4", _ => true, "R-4");
        Assert.Equal((40, 0), (Score(record), Segments(record).Length));
    }

    [Fact]
    public async Task A_record_created_in_a_segment_enters_it_and_leaves_it_when_deleted()
    {
        const string module = "seg_life";
        var segment = (await PostAsync("/api/segments", HotSegment(module))).GetProperty("id").GetString()!;
        var entered = (await PostAsync("/api/workflows", Workflow(module, "segment.entered", segment))).GetProperty("id").GetString()!;
        var exited = (await PostAsync("/api/workflows", Workflow(module, "segment.exited", segment))).GetProperty("id").GetString()!;
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);

        await PostAsync("/api/events", Event(module, "R-2", "record.created", 85, at), HttpStatusCode.Accepted);
        var record = await RecordWhenAsync(module, "R-2", r => RunsOf(r, entered) == 1, "R-2 entered");
        Assert.Equal([segment], Segments(record));

        await PostAsync("/api/events", Event(module, "R-2", "record.deleted", 85, at.AddMinutes(1)), HttpStatusCode.Accepted);
        record = await RecordWhenAsync(module, "R-2", r => r.GetProperty("record").GetProperty("deleted").GetBoolean(), "R-2 deleted");
        Assert.Empty(Segments(record));
        Assert.Equal((1, 1), (RunsOf(record, entered), RunsOf(record, exited)));
    }

    [Fact]
    public async Task Re_evaluating_a_segment_judges_every_stored_record_of_its_module_now_and_enters_each_once()
    {
        const string module = "seg_eval";
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await PostAsync("/api/events", Event(module, "R-5", "record.created", 92, at), HttpStatusCode.Accepted);
        await PostAsync("/api/events", Event(module, "R-6", "record.created", 12, at), HttpStatusCode.Accepted);
        await RecordWhenAsync(module, "R-5", r => Score(r) == 92, "R-5 stored");
        await RecordWhenAsync(module, "R-6", r => Score(r) == 12, "R-6 stored");

        // Made after the records: none is in it until something judges them again.
        var segment = (await PostAsync("/api/segments", HotSegment(module))).GetProperty("id").GetString()!;
        var entered = (await PostAsync("/api/workflows", Workflow(module, "segment.entered", segment))).GetProperty("id").GetString()!;
        Assert.Empty(Segments(await RecordWhenAsync(module, "R-5", _ => true, "R-5")));

        var (queued, first) = await EvaluateAsync(segment);
        Assert.Equal(2, queued);
        var hot = await RecordWhenAsync(module, "R-5", r => first.Contains(LastEvent(r)), "R-5 judged");
        Assert.Equal([segment], Segments(hot));
        Assert.Equal((92, 1), (Score(hot), RunsOf(hot, entered)));
        var cold = await RecordWhenAsync(module, "R-6", r => first.Contains(LastEvent(r)), "R-6 judged");
        Assert.Empty(Segments(cold));
        Assert.Equal(["R-5"], await MembersAsync(segment));

        // A second re-evaluation finds R-5 already in: nothing enters again.
        var (again, second) = await EvaluateAsync(segment);
        Assert.Equal(2, again);
        hot = await RecordWhenAsync(module, "R-5", r => second.Contains(LastEvent(r)), "R-5 judged again");
        Assert.Equal([segment], Segments(hot));
        Assert.Equal(1, RunsOf(hot, entered));
        cold = await RecordWhenAsync(module, "R-6", r => second.Contains(LastEvent(r)), "R-6 judged again");
        Assert.Equal(0, RunsOf(cold, entered));
    }

    private static string LastEvent(JsonElement record) => record.GetProperty("record").GetProperty("lastEventId").GetString()!;

    /// <summary>Queues every page of a re-evaluation: how many records it queued, and the ids of its events.</summary>
    private async Task<(int Queued, HashSet<string> EventIds)> EvaluateAsync(string segment)
    {
        var queued = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await PostAsync($"/api/segments/{segment}/evaluate" + (token is null ? "" : $"?continuationToken={Uri.EscapeDataString(token)}"), "{}", HttpStatusCode.Accepted);
            queued += page.GetProperty("queued").GetInt32();
            if (page.TryGetProperty("eventId", out var id))
            {
                ids.Add(id.GetString()!);
            }

            token = page.TryGetProperty("continuationToken", out var next) ? next.GetString() : null;
        }
        while (token is not null);
        return (queued, ids);
    }

    [Fact]
    public async Task An_edited_segment_applies_from_each_records_next_event()
    {
        const string module = "seg_edit";
        var segment = (await PostAsync("/api/segments", HotSegment(module))).GetProperty("id").GetString()!;
        var exited = (await PostAsync("/api/workflows", Workflow(module, "segment.exited", segment))).GetProperty("id").GetString()!;
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await PostAsync("/api/events", Event(module, "R-3", "record.created", 85, at), HttpStatusCode.Accepted);
        await RecordWhenAsync(module, "R-3", r => Segments(r).Length == 1, "R-3 in the segment");

        // Raising the bar changes nothing stored until the record's next event, which then takes it out.
        var edit = await host.Admin().PutAsync($"/api/segments/{segment}", Json.Body(HotSegment(module, 99)));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Single(Segments(await RecordWhenAsync(module, "R-3", _ => true, "R-3")));

        await PostAsync("/api/events", Event(module, "R-3", "record.updated", 86, at.AddMinutes(1)), HttpStatusCode.Accepted);
        var record = await RecordWhenAsync(module, "R-3", r => Score(r) == 86, "R-3 at 86");
        Assert.Empty(Segments(record));
        Assert.Equal(1, RunsOf(record, exited));
    }
}
