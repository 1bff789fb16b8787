using System.Net;
using System.Text;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>Salesforce Outbound Messages in: SOAP notifications from the configured org become events and are acknowledged.</summary>
public sealed class SalesforceHooksTests(HostFactory factory) : IClassFixture<HostFactory>, IAsyncLifetime
{
    private const string Org = "00D5g000004XyZaEAK";

    private WebApplicationFactory<Program> host = null!;

    public Task InitializeAsync()
    {
        host = factory.WithWebHostBuilder(b => b.UseSetting("Automation:Salesforce:OrganizationId", Org));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private HttpClient Admin()
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", HostFactory.AdminKey);
        return client;
    }

    /// <summary>An Outbound Message as Salesforce sends one for an Opportunity, with the fields chosen for it.</summary>
    private static string Message(string notificationId, string opportunityId, string stage, string org = Org) => $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
         <soapenv:Body>
          <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
           <OrganizationId>{org}</OrganizationId>
           <ActionId>04k5g000000TeStAAG</ActionId>
           <SessionId xsi:nil="true"/>
           <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/61.0/00D5g000004XyZa</EnterpriseUrl>
           <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/61.0/00D5g000004XyZa</PartnerUrl>
           <Notification>
            <Id>{notificationId}</Id>
            <sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
             <sf:Id>{opportunityId}</sf:Id>
             <sf:Amount>25000.0</sf:Amount>
             <sf:CloseDate>2026-12-31</sf:CloseDate>
             <sf:CreatedDate>2026-11-02T10:00:00.000Z</sf:CreatedDate>
             <sf:LastModifiedDate>2026-12-06T09:30:00.000Z</sf:LastModifiedDate>
             <sf:Name>Acme expansion</sf:Name>
             <sf:OwnerId>0055g00000AbCdEAAV</sf:OwnerId>
             <sf:StageName>{stage}</sf:StageName>
             <sf:NextStep xsi:nil="true"/>
            </sObject>
           </Notification>
          </notifications>
         </soapenv:Body>
        </soapenv:Envelope>
        """;

    private Task<HttpResponseMessage> PostAsync(string xml) =>
        host.CreateClient().PostAsync("/api/hooks/salesforce", new StringContent(xml, Encoding.UTF8, "text/xml"));

    [Fact]
    public async Task An_opportunity_entering_closed_won_runs_its_workflow_and_a_resent_message_is_acknowledged_once()
    {
        var opportunityId = "0065g" + Guid.NewGuid().ToString("N")[..13];
        var created = await Admin().PostAsync("/api/workflows", Json.Body("""
            { "name": "Closed won", "module": "opportunity", "status": "active", "trigger": { "type": "stage.entered", "stage": "Closed Won" },
              "steps": [ { "id": "note", "action": "add_note", "params": { "body": "{{ record.name }} won for {{ record.amount }}" } } ] }
            """));
        var workflowId = (await created.ReadAsync()).GetProperty("id").GetString()!;

        var proposal = await PostAsync(Message("04l5g00000A1", opportunityId, "Proposal/Price Quote"));
        await Eventually.GetAsync(async () => (await Admin().GetAsync($"/api/records/opportunity/{opportunityId}")).StatusCode, s => s == HttpStatusCode.OK, "the opportunity stored");
        var won = await PostAsync(Message("04l5g00000A2", opportunityId, "Closed Won"));
        var resent = await PostAsync(Message("04l5g00000A2", opportunityId, "Closed Won"));

        Assert.Equal(HttpStatusCode.OK, proposal.StatusCode);
        Assert.Equal("text/xml", won.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<Ack>true</Ack>", await won.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<Ack>true</Ack>", await resent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var runs = await Eventually.GetAsync(
            async () => (await (await Admin().GetAsync($"/api/workflows/{workflowId}/runs?recordId={opportunityId}")).ReadAsync()).GetProperty("items"),
            items => items.GetArrayLength() > 0 && items[0].GetProperty("status").GetString() == "succeeded",
            "the closed-won run");
        Assert.Equal(1, runs.GetArrayLength());
        var record = (await (await Admin().GetAsync($"/api/records/opportunity/{opportunityId}")).ReadAsync()).GetProperty("record").GetProperty("fields");
        Assert.Equal("Closed Won", record.GetProperty("stage").GetString());
        Assert.Equal("Acme expansion", record.GetProperty("name").GetString());
        Assert.Equal(25000, record.GetProperty("amount").GetDecimal());
        Assert.Equal("0055g00000AbCdEAAV", record.GetProperty("ownerId").GetString());
        Assert.Equal("2026-12-31", record.GetProperty("closeDate").GetString());
        Assert.Equal(opportunityId, record.GetProperty("salesforceId").GetString());
        var events = await (await Admin().GetAsync($"/api/records/opportunity/{opportunityId}/events")).ReadAsync();
        Assert.Contains("salesforce-04l5g00000A2", events.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00D5g000009OtHeRAA", "not the configured one")]
    [InlineData(null, "not an Outbound Message")]
    public async Task A_message_of_another_org_or_not_an_outbound_message_gets_a_soap_fault(string? org, string fault)
    {
        var response = await PostAsync(org is null ? "{ \"not\": \"xml\" }" : Message("04l5g00000B1", "0065g00000ZZZZZ", "Closed Won", org));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("<soapenv:Fault>", body, StringComparison.Ordinal);
        Assert.Contains(fault, body, StringComparison.Ordinal);
    }
}
