using System.Text.Json;
using Automation.Engine.Actions;
using Automation.Runtime.Communication.Email;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Automation.Runtime.Communication;

/// <summary>An email cleared to go: the recipients left, those removed and why, and whether it is addressed to the record.</summary>
public sealed record EmailClearance(EmailContent? Content, string? SkipReason, IReadOnlyList<string> Removed);

/// <summary>
/// Invariant 6 before every email, SMS and call: the record's do-not-contact and opt-out marks (for messages addressed
/// to the record itself, see <see cref="ContactCompliance"/>) and the suppression list (for every address).
/// </summary>
public sealed class ContactGate(SuppressionStore suppressions, IOptions<TwilioOptions> twilio, IOptions<ComplianceOptions> compliance)
{
    /// <summary>
    /// Clears an email: skipped when it is addressed to a record that refuses email, or when every To recipient is
    /// suppressed; otherwise suppressed Cc and Bcc recipients are dropped and listed.
    /// </summary>
    public async Task<EmailClearance> ClearEmailAsync(JsonElement? record, EmailContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var recordEmails = ContactCompliance.RecordEmails(record, compliance.Value.EmailFields ?? [.. ComplianceOptions.DefaultEmailFields]);
        var all = content.To.Concat(content.Cc).Concat(content.Bcc).Select(Bare).ToList();
        var toRecord = all.Any(recordEmails.Contains);
        if (toRecord && ContactCompliance.RecordRefuses(record, ContactChannel.Email) is { } refused)
        {
            return new EmailClearance(null, refused, []);
        }

        var suppressed = await suppressions.FindAsync(SuppressionKind.Email, all, cancellationToken);
        var removed = new List<string>();
        List<string> Keep(IEnumerable<string> list) => list.Where(a =>
        {
            if (!suppressed.ContainsKey(Bare(a)))
            {
                return true;
            }

            removed.Add(Bare(a));
            return false;
        }).ToList();

        var to = Keep(content.To);
        var cc = Keep(content.Cc);
        var bcc = Keep(content.Bcc);
        if (to.Count == 0)
        {
            var why = string.Join(", ", content.To.Select(Bare).Distinct(StringComparer.Ordinal).Select(a => $"{a} ({suppressed[a].Reason ?? suppressed[a].Source})"));
            return new EmailClearance(null, $"Every recipient is on the suppression list: {why}.", removed);
        }

        return new EmailClearance(content with { To = to, Cc = cc, Bcc = bcc, ToRecord = toRecord }, null, removed);
    }

    /// <summary>Why a text or call to <paramref name="e164"/> may not go out, or null when it may.</summary>
    public async Task<string?> RefusePhoneAsync(JsonElement? record, ContactChannel channel, string e164, CancellationToken cancellationToken)
    {
        if (ContactCompliance.RecordPhones(record, compliance.Value.PhoneFields ?? [.. ComplianceOptions.DefaultPhoneFields], twilio.Value.DefaultRegion).Contains(e164)
            && ContactCompliance.RecordRefuses(record, channel) is { } refused)
        {
            return refused;
        }

        var found = await suppressions.FindAsync(SuppressionKind.Phone, [e164], cancellationToken);
        return found.TryGetValue(e164, out var s) ? $"{e164} is on the suppression list ({s.Reason ?? s.Source})." : null;
    }

    /// <summary>The bare lowercased address of <c>Ann &lt;Ann@Example.com&gt;</c>.</summary>
    public static string Bare(string address) =>
        MailboxAddress.TryParse(address, out var mailbox) ? mailbox.Address.ToLowerInvariant() : address.Trim().ToLowerInvariant();
}
