using System.Net;
using System.Text;

namespace Automation.Host.Tests;

public sealed class RequestBodyTests(HostFactory host) : IClassFixture<HostFactory>
{
    [Fact]
    public async Task Malformed_json_gets_400_naming_the_line_and_position()
    {
        var response = await host.Admin().PostAsync("/api/workflows/validate", Json.Body("{\n  \"name\": \"x\",,\n}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = Assert.Single((await response.ReadAsync()).ErrorsAt("$"));
        Assert.Contains("not valid JSON at line 2", message);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var response = await host.Admin().PostAsync(
            "/api/workflows/validate", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", (await response.ReadAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var big = "{\"name\":\"" + new string('x', 70_000) + "\"}";

        var response = await host.Admin().PostAsync("/api/workflows/validate", Json.Body(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task An_empty_body_gets_400()
    {
        var response = await host.Admin().PostAsync("/api/workflows/validate", Json.Body(string.Empty));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_endpoints()
    {
        var response = await host.CreateClient().GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = (await response.ReadAsync()).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/workflows/validate", out _));
        Assert.True(paths.TryGetProperty("/api/actions", out _));
    }
}
