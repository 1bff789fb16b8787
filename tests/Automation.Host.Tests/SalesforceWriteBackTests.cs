using System.Net;
using System.Text;
using System.Text.Json;
using Automation.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Automation.Host.Tests;

/// <summary>Changes out to Salesforce: a workflow on an opportunity that came in as an Outbound Message writes through the REST API.</summary>
public sealed class SalesforceWriteBackTests(HostFactory factory) : IClassFixture<HostFactory>, IAsyncLifetime
{
    private const string Org = "00D5g000004XyZaEAK";

    private SalesforceServer salesforce = null!;
    private WebApplicationFactory<Program> host = null!;

    public async Task InitializeAsync()
    {
        salesforce = await SalesforceServer.StartAsync();
        host = factory.WithWebHostBuilder(b => b
            .UseSetting("Automation:Salesforce:OrganizationId", Org)
            .UseSetting("Automation:Salesforce:InstanceUrl", salesforce.BaseUrl + "/")
            .UseSetting("Automation:Salesforce:ClientId", SalesforceServer.ClientId)
            .UseSetting("Automation:Salesforce:ClientSecret", SalesforceServer.ClientSecret));
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await salesforce.DisposeAsync();
    }

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

    private async Task<JsonElement> WinAsync(string workflowId, string opportunityId, string stage)
    {
        salesforce.Set("Opportunity", opportunityId, new() { ["Name"] = "Acme expansion", ["StageName"] = stage });
        var answer = await host.CreateClient().PostAsync("/api/hooks/salesforce", new StringContent(Message("04l" + opportunityId[3..], opportunityId, stage), Encoding.UTF8, "text/xml"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var items = await Eventually.GetAsync(
            async () => (await (await Admin().GetAsync($"/api/workflows/{workflowId}/runs?recordId={opportunityId}")).ReadAsync()).GetProperty("items"),
            i => i.GetArrayLength() > 0 && i[0].GetProperty("status").GetString() is "succeeded" or "failed",
            "the closed-won run");
        return await (await Admin().GetAsync($"/api/runs/{items[0].GetProperty("runId").GetString()}")).ReadAsync();
    }

    [Fact]
    public async Task An_opportunity_entering_closed_won_creates_a_salesforce_task_and_updates_a_field_signing_in_again_after_a_401()
    {
        var stage = "Closed Won " + Guid.NewGuid().ToString("N")[..6];
        var created = await Admin().PostAsync("/api/workflows", Json.Body($$$"""
            { "name": "Closed won hand-off", "module": "opportunity", "status": "active", "trigger": { "type": "stage.entered", "stage": "{{{stage}}}" },
              "steps": [ { "id": "task", "action": "create_task", "params": { "title": "Hand {{ record.name }} to onboarding", "dueInDays": 3 } },
                         { "id": "next", "action": "update_field", "params": { "fields": { "nextStep": "Onboarding kick-off" } } } ] }
            """));
        var workflowId = (await created.ReadAsync()).GetProperty("id").GetString()!;
        var first = "0065g" + Guid.NewGuid().ToString("N")[..13];
        var second = "0065g" + Guid.NewGuid().ToString("N")[..13];

        var firstRun = await WinAsync(workflowId, first, stage);
        salesforce.ExpireSessions();
        var secondRun = await WinAsync(workflowId, second, stage);

        Assert.Equal("succeeded", firstRun.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal("succeeded", secondRun.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(2, salesforce.TokensIssued);
        Assert.Contains(salesforce.Requests, r => r.Header("Authorization") is not null && r.Path.EndsWith("/sobjects/Task", StringComparison.Ordinal));
        var tasks = salesforce.Records("Task");
        Assert.Equal(2, tasks.Count);
        var task = tasks.Single(t => t.Fields["WhatId"]!.GetValue<string>() == first).Fields;
        Assert.Equal("Hand Acme expansion to onboarding", task["Subject"]!.GetValue<string>());
        Assert.Equal("0055g00000AbCdEAAV", task["OwnerId"]!.GetValue<string>());
        Assert.Equal("Not Started", task["Status"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), task["ActivityDate"]!.GetValue<string>());
        Assert.Equal("Onboarding kick-off", salesforce.Records("Opportunity").Single(o => o.Id == first).Fields["NextStep"]!.GetValue<string>());
        var taskOutput = firstRun.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("stepId").GetString() == "task").GetProperty("output");
        Assert.Equal("salesforce", taskOutput.GetProperty("crm").GetProperty("crm").GetString());
        Assert.Equal("Task", taskOutput.GetProperty("crm").GetProperty("objectType").GetString());
        Assert.StartsWith("00T", taskOutput.GetProperty("crm").GetProperty("id").GetString(), StringComparison.Ordinal);
    }
}
