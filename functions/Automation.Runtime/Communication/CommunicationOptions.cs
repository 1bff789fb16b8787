namespace Automation.Runtime.Communication;

/// <summary>
/// <c>Automation:Email</c>. Shape:
/// <code>
/// "Automation": { "Email": {
///   "From": "Automation &lt;automation@localhost&gt;",   // default sender; a step's from overrides it
///   "TrackingBaseUrl": "https://automation.example.com", // public URL of this service: open pixels, click redirects and
///                                                       // unsubscribe links point here; no tracking or unsubscribe link when empty
///   "TrackingSecret": null,                             // signs tracking links; when empty one is generated and kept in storage
///   "DraftOwnerEmails": false,                          // also email a draft's owner (found by id in Automation:Teams), not only notify in-app
///   "Smtp": { "Host": "127.0.0.1", "Port": 1025, "UserName": null, "Password": null, "UseTls": false, "TimeoutSeconds": 30 }
/// } }
/// </code>
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Automation:Email";

    public string From { get; set; } = "Automation <automation@localhost>";

    public Uri? TrackingBaseUrl { get; set; }

    public string? TrackingSecret { get; set; }

    /// <summary>A draft's owner always gets an in-app notification; with this on, an email with the link too.</summary>
    public bool DraftOwnerEmails { get; set; }

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>The SMTP relay (Azure Communication Services, SendGrid, any relay; MailDev locally).</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1025;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>TLS on connect for port 465, STARTTLS otherwise. False: plain (a local relay such as MailDev).</summary>
    public bool UseTls { get; set; }

    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// <c>Automation:Twilio</c>. Shape:
/// <code>
/// "Automation": { "Twilio": {
///   "AccountSid": "AC...", "AuthToken": "...",
///   "BaseUrl": "https://api.twilio.com",   // tests point it at a local server shaped like Twilio
///   "From": "+14155550100",                // default sender number
///   "MessagingServiceSid": null,           // or a messaging service (SMS only), preferred over From when set
///   "DefaultRegion": "US",                 // region for numbers written without a country code
///   "TimeoutSeconds": 30
/// } }
/// </code>
/// </summary>
public sealed class TwilioOptions
{
    public const string Section = "Automation:Twilio";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    public Uri BaseUrl { get; set; } = new("https://api.twilio.com");

    public string? From { get; set; }

    public string? MessagingServiceSid { get; set; }

    public string DefaultRegion { get; set; } = "US";

    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// <c>Automation:Slack</c>: <c>{ "BotToken": "xoxb-...", "ApiBaseUrl": "https://slack.com/api" }</c>. The bot token serves
/// steps that name a channel without a token of their own.
/// </summary>
public sealed class SlackOptions
{
    public const string Section = "Automation:Slack";

    public string? BotToken { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api");
}

/// <summary>
/// <c>Automation:Ai</c>: an OpenAI-compatible chat-completions endpoint for personalized emails. Shape:
/// <code>
/// "Automation": { "Ai": {
///   "Endpoint": "https://api.openai.com/v1",   // base URL (…/chat/completions is added) or the full chat-completions URL
///   "ApiKey": "...", "Model": "gpt-4o-mini", "Temperature": 0.7, "MaxTokens": 800, "TimeoutSeconds": 60
/// } }
/// </code>
/// Without an endpoint, workflows with personalized emails cannot be activated.
/// </summary>
public sealed class AiOptions
{
    public const string Section = "Automation:Ai";

    public Uri? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    public string Model { get; set; } = "gpt-4o-mini";

    public double Temperature { get; set; } = 0.7;

    public int MaxTokens { get; set; } = 800;

    public int TimeoutSeconds { get; set; } = 60;

    public bool Configured => Endpoint is not null;
}
