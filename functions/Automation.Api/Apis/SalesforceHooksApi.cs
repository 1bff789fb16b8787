using Automation.Runtime.Crm.Salesforce;
using Automation.Runtime.Intake;

namespace Automation.Api.Apis;

/// <summary>
/// <c>POST /api/hooks/salesforce</c>: Salesforce Outbound Messages (SOAP), from the configured organization, turned into
/// our events (<see cref="SalesforceOutboundMessages"/>) and answered with the <c>Ack</c> Salesforce expects; a message
/// from another org or not an Outbound Message gets a SOAP fault (and Salesforce keeps it queued).
/// </summary>
public static class SalesforceHooksApi
{
    public static IEndpointRouteBuilder MapSalesforceHooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/hooks/salesforce", PostAsync).WithTags("intake").AllowAnonymous();
        return app;
    }

    private static async Task<IResult> PostAsync(
        HttpContext context, SalesforceOutboundMessages messages, IntakeService intake, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body);
        var xml = await reader.ReadToEndAsync(cancellationToken);
        var message = messages.Read(xml, clock.GetUtcNow());
        if (message.Refused is { } refused)
        {
            return Results.Text(SalesforceOutboundMessages.Fault(refused), "text/xml", statusCode: StatusCodes.Status403Forbidden);
        }

        try
        {
            // Accepted or a duplicate (a message sent again), it is delivered: Salesforce may stop sending it.
            await intake.AcceptAsync(message.Events, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return Results.Text(SalesforceOutboundMessages.Fault(e.Message), "text/xml", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        return Results.Text(SalesforceOutboundMessages.Ack, "text/xml");
    }
}
