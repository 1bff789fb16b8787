using System.Text;
using System.Text.Json;
using Automation.Api.Http;
using Automation.Runtime.Crm.HubSpot;
using Automation.Runtime.Intake;
using Microsoft.Extensions.Options;

namespace Automation.Api.Apis;

/// <summary>
/// <c>POST /api/hooks/hubspot</c>: HubSpot's webhook batches as HubSpot sends them, checked with its v3 signature,
/// turned into our events (<see cref="HubSpotWebhooks"/>) and accepted like any others. Answers 202 with what was
/// accepted, what was a duplicate (a retry) and what was ignored; 503 when HubSpot could not be read (HubSpot retries).
/// </summary>
public static class HubSpotHooksApi
{
    public static IEndpointRouteBuilder MapHubSpotHooksApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/hooks/hubspot", PostAsync).WithTags("intake").AllowAnonymous();
        return app;
    }

    private static async Task<IResult> PostAsync(
        HttpContext context, HubSpotWebhooks hubspot, IntakeService intake, IOptions<HubSpotOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (string.IsNullOrEmpty(o.ClientSecret))
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "HubSpot is not connected", "Set Automation:HubSpot:ClientSecret (the app's client secret) to take HubSpot's webhooks.");
        }

        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return body.Error;
        }

        var request = context.Request;
        var uri = o.WebhookUrl?.ToString() ?? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}";
        if (HubSpotSignature.Check(
                o.ClientSecret, request.Method, uri, Encoding.UTF8.GetString(body.Raw),
                request.Headers["X-HubSpot-Request-Timestamp"].ToString(), request.Headers["X-HubSpot-Signature-v3"].ToString(), clock.GetUtcNow()) is { } refused)
        {
            return Problems.Status(StatusCodes.Status401Unauthorized, "Not signed by HubSpot", refused);
        }

        if (body.Json.ValueKind != JsonValueKind.Array)
        {
            return Problems.Field("$", "HubSpot sends an array of webhook items.");
        }

        var batch = await hubspot.TranslateAsync(body.Json, cancellationToken);
        if (batch.Error is { } error)
        {
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "HubSpot could not be read", error + " HubSpot sends the batch again.");
        }

        IntakeResult result;
        try
        {
            result = batch.Events.Count == 0 ? new IntakeResult([], []) : await intake.AcceptAsync(batch.Events, cancellationToken);
        }
        catch (ArgumentException e)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Event too large", e.Message);
        }

        return TypedResults.Json(new { result.Accepted, result.Duplicates, result.Unmatched, result.Notes, ignored = batch.Ignored }, statusCode: StatusCodes.Status202Accepted);
    }
}
