using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Automation.Functions.Http;
using Automation.Runtime.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Functions.Tests;

/// <summary>
/// The HTTP functions, called as the worker calls them (an ASP.NET Core request already routed to the function), answer
/// what the local host answers for the same request: status, content type, body, the headers that matter.
/// </summary>
public sealed class HttpDispatchTests(LocalHost local) : IClassFixture<LocalHost>, IAsyncLifetime
{
    private readonly FunctionsApp app = new();

    public async Task InitializeAsync()
    {
        await app.Storage.EnsureCreatedAsync();
        await local.Services.GetRequiredService<AutomationStorage>().EnsureCreatedAsync();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>The parts of an answer that must agree; a problem's traceId names the request, so it is left out.</summary>
    private sealed record Answer(int Status, string? ContentType, string Body, string? Security)
    {
        public static Answer Of(int status, string? contentType, string body, string? security)
        {
            if (contentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true
                && JsonNode.Parse(body) is JsonObject problem && problem.Remove("traceId"))
            {
                body = problem.ToJsonString();
            }

            return new Answer(status, contentType, body, security);
        }
    }

    private async Task<Answer> FunctionAsync(Func<ApiFunctions, HttpRequest, Task> call, string method, string path, string? bearer = null)
    {
        var context = app.Request(method, path, bearer);
        await call(app.Function<ApiFunctions>(), context.Request);
        var body = context.Response.Body;
        body.Position = 0;
        return Answer.Of(
            context.Response.StatusCode,
            context.Response.ContentType,
            await new StreamReader(body).ReadToEndAsync(),
            context.Response.Headers.ContentSecurityPolicy.ToString() is { Length: > 0 } csp ? csp : null);
    }

    private async Task<Answer> LocalAsync(string method, string path, string? bearer = null)
    {
        using var client = local.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await client.SendAsync(request);
        return Answer.Of(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.ToString(),
            await response.Content.ReadAsStringAsync(),
            response.Headers.TryGetValues("Content-Security-Policy", out var csp) ? string.Join(",", csp) : null);
    }

    [Fact]
    public async Task Health_answers_as_the_local_host()
    {
        var function = await FunctionAsync((f, r) => f.Health(r, app.DurableClient), "GET", "/health");
        var expected = await LocalAsync("GET", "/health");

        Assert.Equal(StatusCodes.Status200OK, function.Status);
        Assert.Equal((expected.Status, expected.ContentType), (function.Status, function.ContentType));
    }

    [Fact]
    public async Task An_admin_route_without_the_key_is_a_401_problem_as_on_the_local_host()
    {
        var function = await FunctionAsync((f, r) => f.Actions(r, app.DurableClient), "GET", "/api/actions");
        var expected = await LocalAsync("GET", "/api/actions");

        Assert.Equal(StatusCodes.Status401Unauthorized, function.Status);
        Assert.StartsWith("application/problem+json", function.ContentType, StringComparison.Ordinal);
        Assert.Equal(expected, function);
    }

    [Fact]
    public async Task An_admin_route_with_the_key_answers_the_same_body_as_the_local_host()
    {
        var function = await FunctionAsync((f, r) => f.Actions(r, app.DurableClient), "GET", "/api/actions", FunctionsApp.AdminKey);
        var expected = await LocalAsync("GET", "/api/actions", FunctionsApp.AdminKey);

        Assert.Equal(StatusCodes.Status200OK, function.Status);
        Assert.Equal(expected, function);
    }

    [Fact]
    public async Task A_path_no_route_takes_is_the_same_404_problem()
    {
        var function = await FunctionAsync((f, r) => f.Records(r, app.DurableClient), "GET", "/api/records/lead", FunctionsApp.AdminKey);
        var expected = await LocalAsync("GET", "/api/records/lead", FunctionsApp.AdminKey);

        Assert.Equal(StatusCodes.Status404NotFound, function.Status);
        Assert.Equal(expected, function);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/workflows/abc")]
    public async Task Dashboard_pages_are_the_same_index_html_with_its_security_policy(string path)
    {
        Func<ApiFunctions, HttpRequest, Task> call = path == "/" ? (f, r) => f.DashboardRoot(r, app.DurableClient) : (f, r) => f.Dashboard(r, app.DurableClient);

        var function = await FunctionAsync(call, "GET", path);
        var expected = await LocalAsync("GET", path);

        Assert.Equal(StatusCodes.Status200OK, function.Status);
        Assert.Contains("<html", function.Body, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(function.Security);
        Assert.Equal(expected, function);
    }

    [Fact]
    public async Task Dashboard_files_are_served_from_the_same_wwwroot()
    {
        var function = await FunctionAsync((f, r) => f.Dashboard(r, app.DurableClient), "GET", "/js/app.js");
        var expected = await LocalAsync("GET", "/js/app.js");

        Assert.Equal((int)HttpStatusCode.OK, function.Status);
        Assert.Equal(expected, function);
    }
}
