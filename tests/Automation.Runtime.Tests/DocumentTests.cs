using System.Text;
using Automation.Engine.Model;
using Automation.Engine.Runs;
using Automation.Runtime.Documents;
using Automation.Runtime.Storage;
using Automation.Runtime.Tests.Infrastructure;

namespace Automation.Runtime.Tests;

/// <summary>attach_document: rendered or fetched (through the outbound guard), stored as a blob in Azurite, listed with the record.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DocumentTests : IAsyncLifetime
{
    private const int MaxBytes = 2048;
    private RuntimeHost host = null!;
    private WebhookReceiver files = null!;

    public async Task InitializeAsync()
    {
        files = await WebhookReceiver.StartAsync();
        host = await RuntimeHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Automation:Documents:MaxBytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        var container = host.Get<AutomationStorage>().Documents;
        await container.DeleteIfExistsAsync();
        await host.DisposeAsync();
        await files.DisposeAsync();
    }

    private Task<Workflow> AttachAsync(string parameters) => host.ActiveWorkflowAsync($$"""
        {
          "name": "Attach {{Guid.NewGuid():N}}", "module": "deal", "trigger": { "type": "record.created" },
          "steps": [ { "id": "doc", "action": "attach_document", "params": {{parameters}},
                       "retry": { "maxAttempts": 3, "initialIntervalSeconds": 1 } } ]
        }
        """);

    private static async Task<string> ReadAsync(DocumentContent document)
    {
        await using (document)
        {
            using var reader = new StreamReader(document.Content, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }

    [Fact]
    public async Task A_rendered_template_is_stored_listed_with_the_record_and_announced_by_an_event()
    {
        var wf = await AttachAsync("""{ "name": "Quote-{{ record.number }}.html", "template": "<h1>Quote {{ record.number }} for {{ record.name }}</h1>" }""");
        var onAttach = await host.ActiveWorkflowAsync("""
        {
          "name": "On document", "module": "deal", "trigger": { "type": "event", "name": "document.attached" },
          "steps": [ { "id": "mark", "action": "update_field", "params": { "fields": { "lastDocument": "{{ event.data.document.name }}" } } } ]
        }
        """);

        await host.SendAsync(Json.Event("record.created", "deal", "D-1", new { number = "Q-17", name = "Acme" }));
        var run = await host.WaitForEndAsync("deal", "D-1", wf.Id!);
        var reaction = await host.WaitForEndAsync("deal", "D-1", onAttach.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var store = host.Get<DocumentStore>();
        var info = Assert.Single(await store.ListAsync("deal", "D-1"));
        Assert.Equal("Quote-Q-17.html", info.Name);
        Assert.Equal("text/html; charset=utf-8", info.ContentType);
        Assert.Equal("template", info.Source);
        Assert.Equal(run.Run.RunId, info.RunId);
        Assert.Equal(info.Id, run.Steps[0].Output.Text("document.id"));
        Assert.Equal("<h1>Quote Q-17 for Acme</h1>", await ReadAsync((await store.OpenAsync("deal", "D-1", info.Id))!));
        Assert.Equal(1, reaction.Run.CausationDepth);
        Assert.Equal($"{run.Run.RunId}:doc", reaction.Run.TriggerEventId);
        Assert.Equal("Quote-Q-17.html", (await host.WaitForSnapshotAsync("deal", "D-1", s => s.Text("lastDocument") is not null)).Text("lastDocument"));
        Assert.Empty(await store.ListAsync("deal", "D-2"));
        Assert.Null(await store.OpenAsync("deal", "D-1", "doc-missing"));
    }

    [Fact]
    public async Task A_document_is_fetched_from_a_url_following_a_redirect_with_the_type_given()
    {
        files.Respond("files/old", new Reply(302, null, new Dictionary<string, string> { ["Location"] = files.Url("files/quote") }));
        files.Respond("files/quote", new Reply(200, """{"pdf":"pretend"}"""));
        var wf = await AttachAsync($$"""{ "name": "quote.pdf", "url": "{{files.Url("files/old")}}?token=secret", "contentType": "application/pdf" }""");

        await host.SendAsync(Json.Event("record.created", "deal", "D-3"));
        var run = await host.WaitForEndAsync("deal", "D-3", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, run.Run.Status);
        var info = Assert.Single(await host.Get<DocumentStore>().ListAsync("deal", "D-3"));
        Assert.Equal("application/pdf", info.ContentType);
        Assert.Equal(files.Url("files/old"), info.Source);
        Assert.Equal("""{"pdf":"pretend"}""", await ReadAsync((await host.Get<DocumentStore>().OpenAsync("deal", "D-3", info.Id))!));
        Assert.Equal(["/files/old", "/files/quote"], files.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_fetch_that_answers_503_is_retried_and_a_404_fails_for_good()
    {
        files.Respond("files/flaky", new Reply(503));
        files.Respond("files/gone", new Reply(404));
        var wf = await AttachAsync("""{ "name": "x.txt", "url": "{{ record.url }}" }""");

        await host.SendAsync(
            Json.Event("record.created", "deal", "D-4", new { url = files.Url("files/flaky") }),
            Json.Event("record.created", "deal", "D-5", new { url = files.Url("files/gone") }));
        var flaky = await host.WaitForEndAsync("deal", "D-4", wf.Id!);
        var gone = await host.WaitForEndAsync("deal", "D-5", wf.Id!);

        Assert.Equal(RunStatus.Succeeded, flaky.Run.Status);
        Assert.Equal([StepStatus.Retrying, StepStatus.Succeeded], flaky.Steps.Select(s => s.Status));
        Assert.Contains("answered 503", flaky.Steps[0].Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, gone.Run.Status);
        Assert.Contains("answered 404", Assert.Single(gone.Steps).Error, StringComparison.Ordinal);
        Assert.Empty(await host.Get<DocumentStore>().ListAsync("deal", "D-5"));
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.1.2.3/doc.pdf")]
    [InlineData("http://localhost:{port}/files/secret")]
    public async Task A_document_url_on_a_private_address_that_is_not_allowed_is_refused_without_retry(string url)
    {
        var target = url.Replace("{port}", new Uri(files.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var recordId = "S-" + Guid.NewGuid().ToString("N")[..8];
        var wf = await AttachAsync($$"""{ "name": "x.pdf", "url": "{{target}}" }""");

        await host.SendAsync(Json.Event("record.created", "deal", recordId));
        var run = await host.WaitForEndAsync("deal", recordId, wf.Id!);

        Assert.Equal(RunStatus.Failed, run.Run.Status);
        var step = Assert.Single(run.Steps);
        Assert.Contains("private, loopback or link-local", step.Error, StringComparison.Ordinal);
        Assert.Empty(files.Requests);
        Assert.Empty(await host.Get<DocumentStore>().ListAsync("deal", recordId));
    }

    [Fact]
    public async Task A_document_larger_than_the_cap_is_refused_whether_fetched_or_rendered()
    {
        files.Respond("files/big", new Reply(200, new string('x', MaxBytes + 1)));
        var wf = await AttachAsync("""{ "name": "big.txt", "url": "{{ record.url }}", "template": "{{ record.text }}" }""");

        await host.SendAsync(
            Json.Event("record.created", "deal", "B-1", new { url = files.Url("files/big") }),
            Json.Event("record.created", "deal", "B-2", new { text = new string('y', MaxBytes + 1) }));
        var fetched = await host.WaitForEndAsync("deal", "B-1", wf.Id!);
        var rendered = await host.WaitForEndAsync("deal", "B-2", wf.Id!);

        Assert.Equal(RunStatus.Failed, fetched.Run.Status);
        Assert.Contains($"larger than {MaxBytes} bytes", Assert.Single(fetched.Steps).Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Failed, rendered.Run.Status);
        Assert.Contains($"at most {MaxBytes} can be attached", Assert.Single(rendered.Steps).Error, StringComparison.Ordinal);
    }
}
