using Automation.Engine.Actions;

namespace Automation.Api.Apis;

public static class ActionsApi
{
    public static IEndpointRouteBuilder MapActionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/actions", () => TypedResults.Ok(ActionRegistry.All))
            .WithTags("actions")
            .RequireAuthorization(ApiSetup.AdminPolicy);
        return app;
    }
}
