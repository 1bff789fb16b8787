using System.Globalization;
using System.Text.Json;
using Automation.Engine.Actions;
using MimeKit;
using PhoneNumbers;

namespace Automation.Runtime.Communication;

/// <summary>
/// The record fields compliance reads (invariant 6). A CRM sends them with the record (or <c>mark_contact</c> and the
/// unsubscribe link set them on the stored snapshot). True is <c>true</c>, <c>"true"</c>, <c>"yes"</c> or <c>1</c>.
/// </summary>
public static class ContactFields
{
    /// <summary>Nothing reaches the record: no email, SMS or call.</summary>
    public const string DoNotContact = "doNotContact";

    public const string EmailOptOut = "emailOptOut";

    public const string SmsOptOut = "smsOptOut";

    public const string CallOptOut = "callOptOut";

    public static string OptOutFor(ContactChannel channel) => channel switch
    {
        ContactChannel.Email => EmailOptOut,
        ContactChannel.Sms => SmsOptOut,
        _ => CallOptOut,
    };
}

/// <summary>
/// Decides whether a message may reach a record. The record's marks gate messages addressed to the record itself: a
/// recipient equal to one of the record's own addresses (any top-level field holding that email address or phone
/// number). A message about the record to someone else (its owner, a team) is not the record's to refuse; the
/// suppression list (<see cref="SuppressionStore"/>) gates every address whoever it belongs to.
/// </summary>
public static class ContactCompliance
{
    /// <summary>Why the record may not be reached through <paramref name="channel"/>, or null when it may.</summary>
    public static string? RecordRefuses(JsonElement? record, ContactChannel channel)
    {
        if (IsSet(record, ContactFields.DoNotContact))
        {
            return $"The record is marked do-not-contact ({ContactFields.DoNotContact}).";
        }

        var field = ContactFields.OptOutFor(channel);
        if (IsSet(record, field))
        {
            var what = channel switch { ContactChannel.Email => "email", ContactChannel.Sms => "SMS", _ => "calls" };
            return $"The record opted out of {what} ({field}).";
        }

        return null;
    }

    public static bool IsSet(JsonElement? record, string field)
    {
        if (record is not { ValueKind: JsonValueKind.Object } r || !r.TryGetProperty(field, out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.Number => value.TryGetDouble(out var n) && n != 0,
            JsonValueKind.String => value.GetString()!.Trim().ToLowerInvariant() is "true" or "yes" or "y" or "1",
            _ => false,
        };
    }

    /// <summary>The record's own email addresses: every top-level text field that is one address (lowercased).</summary>
    public static IReadOnlySet<string> RecordEmails(JsonElement? record)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in TopLevelTexts(record))
        {
            if (text.Contains('@', StringComparison.Ordinal) && MailboxAddress.TryParse(text, out var mailbox))
            {
                found.Add(mailbox.Address.ToLowerInvariant());
            }
        }

        return found;
    }

    /// <summary>The record's own phone numbers: every top-level text field that reads as a number, in E.164.</summary>
    public static IReadOnlySet<string> RecordPhones(JsonElement? record, string defaultRegion)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in TopLevelTexts(record))
        {
            if (text.Count(char.IsAsciiDigit) >= 7 && E164.TryNormalize(text, defaultRegion, out var e164, out _))
            {
                found.Add(e164);
            }
        }

        return found;
    }

    private static IEnumerable<string> TopLevelTexts(JsonElement? record)
    {
        if (record is not { ValueKind: JsonValueKind.Object } r)
        {
            yield break;
        }

        foreach (var property in r.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                yield return property.Value.GetString()!;
            }
            else if (property.Value.ValueKind == JsonValueKind.Number)
            {
                yield return property.Value.GetRawText();
            }
        }
    }
}

/// <summary>Phone numbers in E.164 (<c>+14155550123</c>), read with libphonenumber.</summary>
public static class E164
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Parses <paramref name="text"/> (international, or national in <paramref name="defaultRegion"/>) and checks that it
    /// is a valid number. The error says why not.
    /// </summary>
    public static bool TryNormalize(string? text, string defaultRegion, out string e164, out string error)
    {
        e164 = "";
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The phone number is empty.";
            return false;
        }

        try
        {
            var region = string.IsNullOrWhiteSpace(defaultRegion) ? "US" : defaultRegion.Trim().ToUpperInvariant();
            var number = Util.Parse(text.Trim(), region);
            if (!Util.IsValidNumber(number))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a valid phone number.");
                return false;
            }

            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException e)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"'{text}' is not a phone number ({e.Message}).");
            return false;
        }
    }
}
