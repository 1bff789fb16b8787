using Automation.Runtime.Actions;
using Automation.Runtime.Actions.Communication;
using Automation.Runtime.Communication.Email;
using Automation.Runtime.Communication.Email.Mailboxes;
using Automation.Runtime.Processing;
using Automation.Runtime.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Automation.Runtime.Communication;

public static class CommunicationSetup
{
    /// <summary>
    /// The communication actions (email, SMS, calls, Slack, team emails, in-app notifications) and what they keep:
    /// templates, drafts, suppressions, notifications, email counters. Options from <c>Automation:Email</c>,
    /// <c>Automation:Twilio</c>, <c>Automation:Slack</c>, <c>Automation:Ai</c> and <c>Automation:Teams</c>
    /// (<see cref="EmailOptions"/>, <see cref="TwilioOptions"/>, <see cref="SlackOptions"/>, <see cref="AiOptions"/>,
    /// <see cref="TeamDirectory"/> show the shapes).
    /// </summary>
    public static IServiceCollection AddAutomationCommunication(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        services.AddOptions<TwilioOptions>().Bind(configuration.GetSection(TwilioOptions.Section));
        services.AddOptions<SlackOptions>().Bind(configuration.GetSection(SlackOptions.Section));
        services.AddOptions<AiOptions>().Bind(configuration.GetSection(AiOptions.Section));
        services.AddOptions<ComplianceOptions>().Bind(configuration.GetSection(ComplianceOptions.Section));
        services.AddOptions<MailboxOptions>().Bind(configuration.GetSection(MailboxOptions.Section));

        services.AddSingleton<CommunicationTables>();
        services.AddHostedService<CommunicationTablesInitializer>();
        services.AddSingleton<SuppressionStore>();
        services.AddSingleton<ContactGate>();
        services.AddSingleton<TeamDirectory>();
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<RunSignals>();

        services.AddSingleton<EmailTemplateStore>();
        services.AddSingleton<SmsTemplateStore>();
        services.AddSingleton<SmsComposer>();
        services.AddSingleton<EmailTracking>();
        services.AddSingleton<EmailStats>();
        services.AddSingleton<EmailResponses>();
        services.AddSingleton<SmtpSender>();
        services.AddSingleton<AttachmentResolver>();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<EmailDelivery>();
        services.AddSingleton<DraftOutbox>();
        services.AddSingleton<DraftNotices>();
        services.AddSingleton<DraftReview>();

        // Twilio's SDK sends through this client: its base URL is honoured by TwilioBaseUrlHandler, and whatever it
        // points at is checked by the outbound guard like any URL (a base URL on a private address must be allowed).
        services.AddTransient<TwilioBaseUrlHandler>();
        services.AddHttpClient(TwilioClient.ClientName)
            .AddHttpMessageHandler<TwilioBaseUrlHandler>()
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundGuard>().CreateHandler());
        // The language model's endpoint is the admin's: not behind the outbound guard (meant for URLs workflows name).
        services.AddHttpClient(ChatCompletions.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<TwilioClient>();
        // Owners' mailboxes (Gmail, Microsoft Graph) and their token endpoints are the admin's, like the model's endpoint.
        services.AddHttpClient(OAuthTokens.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<OAuthTokens>();
        services.AddSingleton<OwnerMailboxes>();
        services.AddSingleton<ChatCompletions>();

        services.AddSingleton<IActionHandler, SendEmailHandler>();
        services.AddSingleton<IActionHandler, SendSmsHandler>();
        services.AddSingleton<IActionHandler, InitiateCallHandler>();
        services.AddSingleton<IActionHandler, SlackMessageHandler>();
        services.AddSingleton<IActionHandler, NotifyTeamHandler>();
        services.AddSingleton<IActionHandler, InAppNotificationHandler>();

        services.AddSingleton<IActivationCheck, PersonalizedMessageCheck>();
        services.TryAddSingleton<ActivationChecks>();
        return services;
    }
}
