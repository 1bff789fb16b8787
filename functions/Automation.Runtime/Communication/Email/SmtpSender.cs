using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Automation.Runtime.Communication.Email;

/// <summary>A file to attach, resolved.</summary>
public sealed record EmailAttachment(string Name, string ContentType, byte[] Content);

/// <summary>A message ready for the relay: content with tracking applied, attachments resolved, extra headers.</summary>
public sealed record OutgoingEmail(
    EmailContent Content,
    string MessageId,
    IReadOnlyList<EmailAttachment> Attachments,
    IReadOnlyDictionary<string, string> Headers);

/// <summary>What the relay said: accepted (with its answer) or refused, and whether trying again may help.</summary>
public sealed record SmtpOutcome(bool Accepted, string Response, bool Retryable)
{
    public static SmtpOutcome Ok(string response) => new(true, response, false);

    public static SmtpOutcome Failed(string error, bool retryable) => new(false, error, retryable);
}

/// <summary>
/// Sends over SMTP with MailKit, one connection per message (sends are spread over many workers; a pooled connection
/// would sit idle between them). A 4xx reply, a dropped connection or a timeout may be retried; a 5xx reply (a
/// refused recipient, a rejected message) or refused credentials is final.
/// </summary>
public sealed class SmtpSender(IOptions<EmailOptions> options)
{
    public static MimeMessage Build(OutgoingEmail email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var c = email.Content;
        var message = new MimeMessage { MessageId = email.MessageId, Subject = OneLine(c.Subject) };
        message.From.Add(MailboxAddress.Parse(c.From));
        message.To.AddRange(c.To.Select(MailboxAddress.Parse));
        message.Cc.AddRange(c.Cc.Select(MailboxAddress.Parse));
        message.Bcc.AddRange(c.Bcc.Select(MailboxAddress.Parse));
        if (!string.IsNullOrWhiteSpace(c.ReplyTo))
        {
            message.ReplyTo.Add(MailboxAddress.Parse(c.ReplyTo));
        }

        foreach (var (name, value) in email.Headers)
        {
            message.Headers.Add(name, OneLine(value));
        }

        var body = new BodyBuilder { HtmlBody = c.Html, TextBody = c.Text };
        foreach (var attachment in email.Attachments)
        {
            body.Attachments.Add(attachment.Name, attachment.Content, ContentType.Parse(attachment.ContentType));
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    public async Task<SmtpOutcome> SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var smtp = options.Value.Smtp;
        using var client = new SmtpClient { Timeout = Math.Max(1, smtp.TimeoutSeconds) * 1000 };
        var security = !smtp.UseTls ? SecureSocketOptions.None : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
            }

            var response = await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return SmtpOutcome.Ok(response);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var what = e.ErrorCode switch
            {
                SmtpErrorCode.RecipientNotAccepted => $"refused recipient {e.Mailbox}",
                SmtpErrorCode.SenderNotAccepted => $"refused sender {e.Mailbox}",
                SmtpErrorCode.MessageNotAccepted => "refused the message",
                _ => "answered an error",
            };
            return SmtpOutcome.Failed($"The SMTP server {what}: {code} {e.Message}", retryable: code is >= 400 and < 500);
        }
        catch (AuthenticationException e)
        {
            return SmtpOutcome.Failed($"The SMTP server refused the credentials (Automation:Email:Smtp:UserName/Password): {e.Message}", retryable: false);
        }
        catch (SslHandshakeException e)
        {
            return SmtpOutcome.Failed($"TLS with the SMTP server failed (Automation:Email:Smtp:UseTls): {e.Message}", retryable: false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SmtpOutcome.Failed($"The SMTP server {smtp.Host}:{smtp.Port} timed out.", retryable: true);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException)
        {
            return SmtpOutcome.Failed($"The SMTP server {smtp.Host}:{smtp.Port} could not be reached or dropped the connection: {e.Message}", retryable: true);
        }
    }

    /// <summary>Header values are one line: a template that renders a line break must not start a header of its own.</summary>
    private static string OneLine(string value) => value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();
}
