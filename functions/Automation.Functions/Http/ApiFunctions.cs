using Automation.Api;
using Automation.Functions.Durable;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Automation.Functions.Http;

/// <summary>
/// One HTTP function per group of the API's routes (the Functions host routes a request to exactly one of them; the
/// drift test checks that every route is reached by one function and that no two overlap). Each hands the request to
/// <see cref="ApiPipeline"/>: the same middleware and endpoints as the local host, so the answers are the same. The
/// routes are relative to host.json's empty <c>routePrefix</c>; authentication is the API's own (admin key, intake
/// signature), so the functions are anonymous to the Functions host.
/// </summary>
public sealed class ApiFunctions(ApiPipeline pipeline, FunctionsDurableClients clients)
{
    [Function("Health")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("OpenApi")]
    public Task<IActionResult> OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/{document}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Events")]
    public Task<IActionResult> Events(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/events")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Hooks")]
    public Task<IActionResult> Hooks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/hooks/{name}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Actions")]
    public Task<IActionResult> Actions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/actions")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Vocabulary")]
    public Task<IActionResult> Vocabulary(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/vocabulary")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Workflows")]
    public Task<IActionResult> Workflows(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", Route = "api/workflows/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Runs")]
    public Task<IActionResult> Runs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/runs/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Records")]
    public Task<IActionResult> Records(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/records/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("DeadLetters")]
    public Task<IActionResult> DeadLetters(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dead-letters/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("EmailTemplates")]
    public Task<IActionResult> EmailTemplates(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", Route = "api/email-templates/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("SmsTemplates")]
    public Task<IActionResult> SmsTemplates(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", Route = "api/sms-templates/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Pipelines")]
    public Task<IActionResult> Pipelines(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/pipelines/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Segments")]
    public Task<IActionResult> Segments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "delete", Route = "api/segments/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Reports")]
    public Task<IActionResult> Reports(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Drafts")]
    public Task<IActionResult> Drafts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", Route = "api/drafts/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Suppressions")]
    public Task<IActionResult> Suppressions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", Route = "api/suppressions/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Notifications")]
    public Task<IActionResult> Notifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "api/notifications/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("Tracking")]
    public Task<IActionResult> Tracking(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "t/{*rest}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    /// <summary>The dashboard's client-side routes and its files (DashboardSetup.ClientRoutes, plus css, js and the icon).</summary>
    [Function("Dashboard")]
    public Task<IActionResult> Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = @"{section:regex(^(workflows|runs|records|segments|events|stages|reports|drafts|dead-letters|sign-in|css|js|favicon\.svg)$)}/{*path}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    [Function("DashboardRoot")]
    public Task<IActionResult> DashboardRoot(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "{root:regex(^$)?}")] HttpRequest request,
        [DurableClient] DurableTaskClient client) => DispatchAsync(request, client);

    private async Task<IActionResult> DispatchAsync(HttpRequest request, DurableTaskClient client)
    {
        using (clients.Use(client))
        {
            await pipeline.DispatchAsync(request.HttpContext);
        }

        // The pipeline has written the response; nothing is left for the worker to execute.
        return new EmptyResult();
    }
}
