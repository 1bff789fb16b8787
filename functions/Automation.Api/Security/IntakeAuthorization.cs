using Automation.Engine.Security;
using Automation.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Automation.Api.Security;

/// <summary>
/// Intake accepts either a valid <c>X-Automation-Signature</c> over the raw body (secrets from
/// <c>Automation:Intake:Secrets</c>) or an admin key. Checked after the body is read, because the
/// signature covers the exact bytes.
/// </summary>
public static class IntakeAuthorization
{
    public static async Task<IResult?> CheckAsync(HttpContext context, byte[] rawBody)
    {
        var header = context.Request.Headers[Signature.HeaderName].ToString();
        if (header.Length > 0)
        {
            var secrets = context.RequestServices.GetRequiredService<IOptionsMonitor<IntakeOptions>>().CurrentValue.Secrets;
            var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            return Signature.Verify(header, secrets, rawBody, now) switch
            {
                SignatureCheck.Valid => null,
                SignatureCheck.Stale => Unauthorized("The signature's timestamp is more than 5 minutes from now; sign each request when you send it."),
                SignatureCheck.Malformed => Unauthorized("X-Automation-Signature must look like 't=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">'."),
                _ => Unauthorized("The signature does not match the body with any configured intake secret."),
            };
        }

        var admin = await context.AuthenticateAsync(AdminKeyAuthenticationHandler.SchemeName);
        return admin.Succeeded
            ? null
            : Unauthorized("Sign the body with X-Automation-Signature or send 'Authorization: Bearer <admin key>'.");
    }

    private static IResult Unauthorized(string detail) =>
        Problems.Status(StatusCodes.Status401Unauthorized, "Not authenticated", detail);
}

/// <summary>Section <c>Automation:Intake</c>: <c>{ "Secrets": [ "..." ], "MaxEventsPerRequest": 100 }</c>.</summary>
public sealed class IntakeOptions
{
    public List<string> Secrets { get; } = [];

    public int MaxEventsPerRequest { get; set; } = 100;
}
