namespace Automation.Api;

/// <summary>
/// The API's own request pipeline (routing, <see cref="ApiSetup.UseApiMiddleware"/>, <see cref="ApiSetup.MapAutomationApi"/>),
/// built once, for a host whose server has already routed the request somewhere else: the Functions app's HTTP
/// functions hand their request to it, so they answer exactly as the local host does.
/// </summary>
public sealed class ApiPipeline
{
    private readonly RequestDelegate pipeline;

    public ApiPipeline(IServiceProvider services)
    {
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        app.UseApiMiddleware();
        app.UseEndpoints(endpoints => endpoints.MapAutomationApi());
        pipeline = app.Build();
    }

    public Task DispatchAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Routing skips a request that already has an endpoint (here: the function that received it), so forget it
        // and its route values; our routes then match the path as the local host would.
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        return pipeline(context);
    }
}
