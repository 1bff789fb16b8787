using Automation.Runtime.Communication.Email;

namespace Automation.Api.Apis;

/// <summary>
/// The public links in emails (no auth: recipients follow them): the open pixel, click redirects, and unsubscribe
/// (GET from the link in the body, POST from a mail client's one-click button, RFC 8058). Tokens are signed; a token
/// that is not ours counts nothing, redirects nowhere and unsubscribes no one.
/// </summary>
public static class TrackingApi
{
    /// <summary>The smallest transparent GIF.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapTrackingApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/t").WithTags("email tracking").AllowAnonymous().ExcludeFromDescription();
        group.MapGet("/o/{file}", Opened);
        group.MapGet("/c/{token}", Clicked);
        group.MapGet("/u/{token}", Unsubscribe);
        group.MapPost("/u/{token}", Unsubscribe);
        return app;
    }

    private static async Task<IResult> Opened(string file, HttpContext context, EmailResponses responses, CancellationToken cancellationToken)
    {
        var token = file.EndsWith(".gif", StringComparison.OrdinalIgnoreCase) ? file[..^4] : file;
        await responses.OpenedAsync(token, cancellationToken);
        NoCache(context);
        return Results.Bytes(Pixel, "image/gif");
    }

    private static async Task<IResult> Clicked(string token, HttpContext context, EmailResponses responses, CancellationToken cancellationToken)
    {
        if (await responses.ClickedAsync(token, cancellationToken) is not { } target)
        {
            return Results.NotFound();
        }

        NoCache(context);
        return Results.Redirect(target.AbsoluteUri);
    }

    private static async Task<IResult> Unsubscribe(string token, HttpContext context, EmailResponses responses, CancellationToken cancellationToken)
    {
        NoCache(context);
        if (await responses.UnsubscribeAsync(token, cancellationToken) is null)
        {
            return Results.Content(Page("This unsubscribe link is not valid."), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        return Results.Content(Page("You are unsubscribed. You will not receive these emails any more."), "text/html; charset=utf-8");
    }

    private static void NoCache(HttpContext context) => context.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate";

    private static string Page(string message) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head><body><p>{System.Net.WebUtility.HtmlEncode(message)}</p></body></html>";
}
