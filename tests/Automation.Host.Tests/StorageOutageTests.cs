using System.Net;
using System.Net.Http.Headers;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>
/// A host whose storage goes away (its ports, forwarded to Azurite, are closed after it started): intake and the admin
/// API answer 503 with Retry-After and a problem body, as /health does, instead of a bare 500.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    // Azurite's well-known development account.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly TcpForwarder blob = new(10000);
    private readonly TcpForwarder queue = new(10001);
    private readonly TcpForwarder table = new(10002);
    private WebApplicationFactory<Program> host = null!;

    public Task InitializeAsync()
    {
        var connection = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};"
            + $"BlobEndpoint=http://127.0.0.1:{blob.Port}/{Account};QueueEndpoint=http://127.0.0.1:{queue.Port}/{Account};TableEndpoint=http://127.0.0.1:{table.Port}/{Account};";
        host = new HostFactory().WithWebHostBuilder(b => b
            .UseSetting("Automation:Storage:ConnectionString", connection)
            .UseSetting("Automation:Runner:Pollers", "false"));
        host.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await blob.DisposeAsync();
        await queue.DisposeAsync();
        await table.DisposeAsync();
    }

    private HttpClient Admin()
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HostFactory.AdminKey);
        return client;
    }

    [Fact]
    public async Task Intake_and_the_admin_api_answer_503_with_retry_after_and_a_problem()
    {
        var admin = Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/workflows")).StatusCode);

        await blob.CloseAsync();
        await queue.CloseAsync();
        await table.CloseAsync();

        var answers = new[]
        {
            await admin.PostAsync("/api/events", Json.Body("""{ "id": "O-1", "type": "record.created", "module": "lead", "recordId": "L-1", "record": {} }""")),
            await admin.GetAsync("/api/workflows"),
            await admin.GetAsync("/api/records/lead/L-1"),
        };
        foreach (var response in answers)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            Assert.Equal("Storage unavailable", (await response.ReadAsync()).GetProperty("title").GetString());
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.CreateClient().GetAsync("/health")).StatusCode);
    }
}
