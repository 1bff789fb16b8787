using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Testing;

namespace Automation.Host.Tests;

/// <summary>
/// An email sent by a workflow, followed as its recipient would: the open pixel, a click, the unsubscribe link; the
/// workflow's email stats count them and the unsubscribe opts the record out for good. Drafts reviewed through the API.
/// </summary>
public sealed partial class EmailTrackingApiTests(CommunicationHostFactory host) : IClassFixture<CommunicationHostFactory>, IAsyncLifetime
{
    /// <summary>A module of this test's own: the host is shared, and every active workflow of a module enrolls its records.</summary>
    private readonly string module = "lead_" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => MailDev.EnsureRunningAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> ActiveWorkflowAsync(string steps, string enrollment = "every_time")
    {
        var definition = $$"""
            { "name": "Tracked {{Guid.NewGuid():N}}", "module": "{{module}}", "status": "active", "enrollment": "{{enrollment}}",
              "trigger": { "type": "record.created" }, "steps": {{steps}} }
            """;
        var response = await host.Admin().PostAsync("/api/workflows", Json.Body(definition));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync()).GetProperty("id").GetString()!;
    }

    private Task<HttpResponseMessage> SendEventAsync(string recordId, object record) =>
        host.Admin().PostAsync("/api/events", Json.Body(JsonSerializer.Serialize(new { id = Guid.NewGuid().ToString("N"), type = "record.created", module, recordId, record })));

    private async Task<JsonElement> RunAsync(string workflowId, string recordId, int count, string statusIs)
    {
        var client = host.Admin();
        var items = await Eventually.GetAsync(
            async () => (await (await client.GetAsync($"/api/workflows/{workflowId}/runs?recordId={recordId}")).ReadAsync()).GetProperty("items"),
            i => i.GetArrayLength() >= count && i[0].GetProperty("status").GetString() == statusIs,
            $"run {count} of {recordId} to be {statusIs}");
        return await (await client.GetAsync($"/api/runs/{items[0].GetProperty("runId").GetString()}")).ReadAsync();
    }

    private Task<JsonElement> EmailStatsAsync(string workflowId, Func<JsonElement, bool> done, string what) => Eventually.GetAsync(
        async () => (await (await host.Admin().GetAsync($"/api/workflows/{workflowId}/stats")).ReadAsync()).GetProperty("email"),
        done,
        what);

    [Theory]
    [InlineData("?bucket=month", "bucket", "hour, day or week")]
    [InlineData("?from=yesterday", "from", "not a date")]
    [InlineData("?from=2026-01-01&to=2026-12-31&bucket=hour", "from", "at most 400 buckets")]
    [InlineData("?from=2026-12-31&to=2026-01-01", "from", "start before it ends")]
    public async Task A_report_range_that_does_not_make_sense_is_refused_naming_the_parameter(string query, string field, string fragment)
    {
        var response = await host.Admin().GetAsync("/api/reports/workflows" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fragment, (await response.ReadAsync()).ErrorsAt(field)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Opens_clicks_and_unsubscribes_are_counted_once_and_the_unsubscribe_opts_the_record_out()
    {
        var to = MailDev.Address();
        var recordId = "TR-" + Guid.NewGuid().ToString("N")[..8];
        var id = await ActiveWorkflowAsync("""
            [ { "id": "hello", "action": "send_email", "params": { "to": "{{ record.email }}", "subject": "Hello",
                "html": "<p>See <a href=\"https://example.com/offer?x=1&amp;y=2\">the offer</a>.</p>" } } ]
            """);
        await SendEventAsync(recordId, new { email = to, firstName = "Ann" });
        await RunAsync(id, recordId, 1, "succeeded");
        var html = Assert.Single(await MailDev.WaitForAsync(to)).Message.HtmlBody!;
        string Link(string kind) => WebUtility.HtmlDecode(LinkPattern().Matches(html).Select(m => m.Groups["url"].Value).First(u => u.Contains($"/t/{kind}/", StringComparison.Ordinal)));

        var anonymous = host.Public();
        var pixel = await anonymous.GetAsync(Link("o"));
        await anonymous.GetAsync(Link("o"));
        var click = await anonymous.GetAsync(Link("c"));
        var tampered = await anonymous.GetAsync(Link("c").Replace("/t/c/e", "/t/c/f", StringComparison.Ordinal) + "x");

        Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
        Assert.Equal("image/gif", pixel.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
        Assert.Equal("https://example.com/offer?x=1&y=2", click.Headers.Location?.AbsoluteUri);
        Assert.Equal(HttpStatusCode.NotFound, tampered.StatusCode);
        var stats = await EmailStatsAsync(id, e => e.GetProperty("clicked").GetInt64() == 1, "the click to be counted");
        Assert.Equal(1, stats.GetProperty("sent").GetInt64());
        Assert.Equal(1, stats.GetProperty("opened").GetInt64());
        Assert.Equal(1, stats.GetProperty("steps").GetProperty("hello").GetProperty("clicked").GetInt64());

        // The workflow's report counts the same email events, in today's bucket and against the step.
        var report = (await (await host.Admin().GetAsync($"/api/reports/workflows/{id}?bucket=hour")).ReadAsync()).GetProperty("report");
        var totals = report.GetProperty("totals");
        Assert.Equal((1, 1, 1, 1), (totals.GetProperty("started").GetInt32(), totals.GetProperty("sent").GetInt32(), totals.GetProperty("opened").GetInt32(), totals.GetProperty("clicked").GetInt32()));
        var helloStep = Assert.Single(report.GetProperty("emails").EnumerateArray());
        Assert.Equal("hello", helloStep.GetProperty("stepId").GetString());
        Assert.Equal(1, report.GetProperty("funnel")[0].GetProperty("passed").GetInt32());

        // One-click unsubscribe (RFC 8058) posts to the List-Unsubscribe address.
        var unsubscribe = await anonymous.PostAsync(Link("u"), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        var record = await (await host.Admin().GetAsync($"/api/records/{module}/{recordId}")).ReadAsync();
        var suppressed = await host.Admin().GetAsync($"/api/suppressions/email/{Uri.EscapeDataString(to)}");

        Assert.Equal(HttpStatusCode.OK, unsubscribe.StatusCode);
        Assert.True(record.GetProperty("record").GetProperty("fields").GetProperty("emailOptOut").GetBoolean());
        Assert.Equal("ann", record.GetProperty("record").GetProperty("fields").GetProperty("firstName").GetString()!.ToLowerInvariant());
        Assert.Equal(HttpStatusCode.OK, suppressed.StatusCode);
        stats = await EmailStatsAsync(id, e => e.GetProperty("unsubscribed").GetInt64() == 1, "the unsubscribe to be counted");
        Assert.Equal(1, stats.GetProperty("sent").GetInt64());

        // The CRM sends the record again without the flag: the suppression list still keeps the email from going.
        await SendEventAsync(recordId, new { email = to, firstName = "Ann" });
        var second = await RunAsync(id, recordId, 2, "succeeded");
        var step = Assert.Single(second.GetProperty("steps").EnumerateArray());
        Assert.Equal("skipped", step.GetProperty("status").GetString());
        Assert.Contains("suppression list", step.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Single(await MailDev.ReceivedByAsync(to));
    }

    [Fact]
    public async Task A_link_that_is_not_ours_counts_nothing_and_redirects_nowhere()
    {
        var anonymous = host.Public();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/t/c/eyJ3IjoieCJ9~AAAAAAAAAAAAAAAAAAAAAA")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/t/u/garbage")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/t/o/garbage.gif")).StatusCode);
    }

    [Fact]
    public async Task A_draft_is_listed_edited_and_approved_through_the_api_and_then_sent()
    {
        var to = MailDev.Address();
        var owner = "u-" + Guid.NewGuid().ToString("N")[..8];
        var recordId = "DR-" + Guid.NewGuid().ToString("N")[..8];
        var id = await ActiveWorkflowAsync("""
            [ { "id": "quote", "action": "send_email", "params": { "mode": "draft", "approvalTimeoutHours": 48,
                "to": "{{ record.email }}", "subject": "Your quote", "text": "Dear {{ record.firstName }}, here it is." } } ]
            """, "once");
        await SendEventAsync(recordId, new { email = to, firstName = "Ann", ownerId = owner });
        await RunAsync(id, recordId, 1, "waiting");
        var client = host.Admin();

        var listed = await Eventually.GetAsync(
            async () => (await (await client.GetAsync($"/api/drafts?status=pending&ownerId={owner}")).ReadAsync()).GetProperty("items"),
            items => items.GetArrayLength() == 1,
            "the draft");
        var draftId = listed[0].GetProperty("draftId").GetString()!;
        var read = await (await client.GetAsync($"/api/drafts/{draftId}")).ReadAsync();
        var badEdit = await client.PutAsync($"/api/drafts/{draftId}", Json.Body("""{ "subject": "", "colour": "red" }"""));
        var edit = await client.PutAsync($"/api/drafts/{draftId}", Json.Body("""{ "subject": "Your quote, as promised", "text": "Dear Ann, here it is. Call me any time." }"""));
        var approve = await client.PostAsync($"/api/drafts/{draftId}/approve?by={owner}", null);
        var again = await client.PostAsync($"/api/drafts/{draftId}/approve", null);
        var run = await RunAsync(id, recordId, 1, "succeeded");

        Assert.Equal("Dear Ann, here it is.", read.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("pending", read.GetProperty("status").GetString());
        Assert.NotNull(read.GetProperty("expiresAt").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badEdit.StatusCode);
        var problem = await badEdit.ReadAsync();
        Assert.NotEmpty(problem.ErrorsAt("subject"));
        Assert.NotEmpty(problem.ErrorsAt("colour"));
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.True((await edit.ReadAsync()).GetProperty("edited").GetBoolean());
        Assert.Equal("approved", (await approve.ReadAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(["waiting", "succeeded"], run.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        var m = Assert.Single(await MailDev.WaitForAsync(to)).Message;
        Assert.Equal("Your quote, as promised", m.Subject);
        Assert.StartsWith("Dear Ann, here it is. Call me any time.", m.TextBody, StringComparison.Ordinal);
        Assert.Equal("sent", (await (await client.GetAsync($"/api/drafts/{draftId}")).ReadAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/drafts/nope/discard", null)).StatusCode);
    }

    [GeneratedRegex("""(?:href|src)="(?<url>[^"]+)""")]
    private static partial Regex LinkPattern();
}
