namespace Automation.Runtime.Communication.Email.Mailboxes;

/// <summary>
/// <c>Automation:Mailboxes</c>: the OAuth apps that let <c>send_email</c> with <c>"via": "gmail"</c> or
/// <c>"microsoft365"</c> send from a record owner's own mailbox, and each owner's mailbox. Shape:
/// <code>
/// "Automation": { "Mailboxes": {
///   "Google": { "ClientId": "...", "ClientSecret": "...",
///               "TokenUrl": "https://oauth2.googleapis.com/token", "BaseUrl": "https://gmail.googleapis.com" },
///   "Microsoft": { "TenantId": "common", "ClientId": "...", "ClientSecret": "...",
///                  "TokenUrl": null,                      // default https://login.microsoftonline.com/{TenantId}/oauth2/v2.0/token
///                  "GraphUrl": "https://graph.microsoft.com" },
///   "Owners": { "u-ann": { "Provider": "gmail", "Address": "ann@acme.com", "RefreshToken": "..." } },
///   "TimeoutSeconds": 30
/// } }
/// </code>
/// Refresh tokens are secrets: in Azure, app settings that are Key Vault references
/// (<c>Automation__Mailboxes__Owners__u-ann__RefreshToken</c>).
/// </summary>
public sealed class MailboxOptions
{
    public const string Section = "Automation:Mailboxes";

    public GoogleApp Google { get; set; } = new();

    public MicrosoftApp Microsoft { get; set; } = new();

    public Dictionary<string, OwnerMailbox> Owners { get; } = new(StringComparer.Ordinal);

    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>The Google Cloud OAuth client the owners authorized (scope <c>https://www.googleapis.com/auth/gmail.send</c>).</summary>
public sealed class GoogleApp
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public Uri TokenUrl { get; set; } = new("https://oauth2.googleapis.com/token");

    public Uri BaseUrl { get; set; } = new("https://gmail.googleapis.com");
}

/// <summary>The Microsoft Entra app the owners authorized (delegated <c>Mail.Send</c> and <c>offline_access</c>).</summary>
public sealed class MicrosoftApp
{
    public string TenantId { get; set; } = "common";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public Uri? TokenUrl { get; set; }

    public Uri GraphUrl { get; set; } = new("https://graph.microsoft.com");

    public Uri Token => TokenUrl ?? new Uri($"https://login.microsoftonline.com/{Uri.EscapeDataString(TenantId)}/oauth2/v2.0/token");
}

/// <summary>An owner's mailbox: which provider, its address (the From of what it sends), and the owner's refresh token.</summary>
public sealed class OwnerMailbox
{
    public const string Gmail = "gmail";
    public const string Microsoft365 = "microsoft365";

    public string? Provider { get; set; }

    public string? Address { get; set; }

    public string? RefreshToken { get; set; }
}
