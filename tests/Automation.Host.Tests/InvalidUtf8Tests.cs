using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Automation.Host.Tests;

/// <summary>Bodies holding bytes that are not UTF-8: a 400 naming the field, on every route that reads JSON.</summary>
public sealed class InvalidUtf8Tests(HostFactory host) : IClassFixture<HostFactory>
{
    private const string Bad = "\u0001BAD\u0001";

    /// <summary>The JSON with <see cref="Bad"/> replaced by the bytes C3 28 (a lead byte without its continuation).</summary>
    private static ByteArrayContent Body(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json.Replace(Bad, "\u0002", StringComparison.Ordinal));
        var index = Array.IndexOf(bytes, (byte)2);
        var raw = bytes[..index].Concat(new byte[] { 0xC3, 0x28 }).Concat(bytes[(index + 1)..]).ToArray();
        var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private const string Event = """
        { "id": "E1", "type": "record.created", "module": "lead", "recordId": "L-1", "occurredAt": "2026-01-01T00:00:00Z", "record": { "name": "Ann", "address": { "city": "Paris" } } }
        """;

    [Theory]
    [InlineData("\"id\": \"E1\"", "\"id\": \"E" + Bad + "\"", "id")]
    [InlineData("\"type\": \"record.created\"", "\"type\": \"record." + Bad + "\"", "type")]
    [InlineData("\"module\": \"lead\"", "\"module\": \"le" + Bad + "\"", "module")]
    [InlineData("\"recordId\": \"L-1\"", "\"recordId\": \"L-" + Bad + "\"", "recordId")]
    [InlineData("\"city\": \"Paris\"", "\"city\": \"Pa" + Bad + "\"", "record.address.city")]
    public async Task An_event_field_that_is_not_utf8_gets_400_naming_it(string field, string replacement, string path)
    {
        var response = await host.Admin().PostAsync("/api/events", Body(Event.Replace(field, replacement, StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", Assert.Single((await response.ReadAsync()).ErrorsAt(path)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_event_in_a_batch_is_named_by_its_index()
    {
        var batch = "[" + Event + "," + Event.Replace("\"E1\"", "\"E" + Bad + "\"", StringComparison.Ordinal) + "]";

        var response = await host.Admin().PostAsync("/api/events", Body(batch));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single((await response.ReadAsync()).ErrorsAt("[1].id"));
    }

    [Fact]
    public async Task An_escaped_lone_surrogate_is_refused_rather_than_replaced()
    {
        var response = await host.Admin().PostAsync("/api/events", Json.Body(Event.Replace("Paris", "Pa\\ud800ris", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single((await response.ReadAsync()).ErrorsAt("record.address.city"));
    }

    [Fact]
    public async Task A_property_name_that_is_not_utf8_is_named_by_its_parent()
    {
        var response = await host.Admin().PostAsync("/api/events", Body(Event.Replace("\"city\"", "\"ci" + Bad + "\"", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single((await response.ReadAsync()).ErrorsAt("record.address"));
    }

    [Fact]
    public async Task A_hook_body_id_that_is_not_utf8_gets_400()
    {
        var response = await host.Admin().PostAsync("/api/hooks/form", Body("{ \"id\": \"h" + Bad + "\", \"email\": \"a@example.com\" }"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single((await response.ReadAsync()).ErrorsAt("id"));
    }

    [Theory]
    [InlineData("/api/workflows/validate", "{ \"name\": \"W" + Bad + "\", \"module\": \"lead\", \"trigger\": { \"type\": \"record.created\" }, \"steps\": [] }", "name")]
    [InlineData("/api/workflows", "{ \"name\": \"W\", \"module\": \"lead\", \"trigger\": { \"type\": \"record.created\" }, \"steps\": [ { \"id\": \"s\", \"action\": \"create_task\", \"params\": { \"title\": \"T" + Bad + "\" } } ] }", "steps[0].params.title")]
    [InlineData("/api/workflows/test-definition", "{ \"workflow\": { \"name\": \"W\", \"module\": \"lead\", \"trigger\": { \"type\": \"record.created\" }, \"steps\": [] }, \"event\": { \"type\": \"record.created\", \"module\": \"lead\", \"recordId\": \"R" + Bad + "\" } }", "event.recordId")]
    [InlineData("/api/email-templates", "{ \"name\": \"T\", \"subject\": \"Hi" + Bad + "\", \"text\": \"x\" }", "subject")]
    [InlineData("/api/suppressions", "{ \"address\": \"a" + Bad + "@example.com\", \"kind\": \"email\" }", "address")]
    public async Task Admin_bodies_that_are_not_utf8_get_400_naming_the_field(string url, string json, string path)
    {
        var response = await host.Admin().PostAsync(url, Body(json));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single((await response.ReadAsync()).ErrorsAt(path));
    }
}
