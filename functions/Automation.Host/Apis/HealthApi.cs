namespace Automation.Host.Apis;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        // TODO(issue 4): report storage reachability once the runtime's store is wired in.
        app.MapGet("/health", () => TypedResults.Ok(new HealthAnswer("ok")))
            .WithTags("health")
            .AllowAnonymous();
        return app;
    }

    public sealed record HealthAnswer(string Status);
}
