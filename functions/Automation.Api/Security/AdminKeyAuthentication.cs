using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Automation.Api.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;admin key&gt;</c>. Keys come from <c>Automation:Admin:Keys</c> (several, so they
/// can be rotated); with none configured every admin call is refused.
/// </summary>
public sealed class AdminKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AdminOptions> admin)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = header["Bearer ".Length..].Trim();
        return Task.FromResult(Matches(admin.CurrentValue.Keys, presented)
            ? AuthenticateResult.Success(Ticket())
            : AuthenticateResult.Fail("The admin key is not valid."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Http.Problems.Write(Context, StatusCodes.Status401Unauthorized, "Authentication required",
            "Send 'Authorization: Bearer <admin key>' with one of the keys configured in Automation:Admin:Keys.");
    }

    /// <summary>Constant-time comparison against every configured key, so timing reveals neither key nor position.</summary>
    public static bool Matches(IReadOnlyList<string> keys, string presented)
    {
        var presentedBytes = Encoding.UTF8.GetBytes(presented);
        var match = false;
        foreach (var key in keys)
        {
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }

            match |= CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), presentedBytes);
        }

        return match;
    }

    private static AuthenticationTicket Ticket()
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, "admin")], SchemeName);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
    }
}

/// <summary>Section <c>Automation:Admin</c>: <c>{ "Keys": [ "..." ] }</c>.</summary>
public sealed class AdminOptions
{
    public List<string> Keys { get; } = [];
}
