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
/// <c>Automation:Compliance</c>: which record fields hold the record's own addresses. Shape:
/// <code>
/// "Automation": { "Compliance": {
///   "EmailFields": [ "email", "emailAddress", "workEmail", "personalEmail", "secondaryEmail" ],
///   "PhoneFields": [ "phone", "mobile", "mobilePhone", "phoneNumber", "workPhone", "homePhone" ]
/// } }
/// </code>
/// A list given in configuration replaces the default one.
/// </summary>
public sealed class ComplianceOptions
{
    public const string Section = "Automation:Compliance";

    public static readonly IReadOnlyList<string> DefaultEmailFields = ["email", "emailAddress", "workEmail", "personalEmail", "secondaryEmail"];

    public static readonly IReadOnlyList<string> DefaultPhoneFields = ["phone", "mobile", "mobilePhone", "phoneNumber", "workPhone", "homePhone"];

    public List<string>? EmailFields { get; set; }

    public List<string>? PhoneFields { get; set; }
}

/// <summary>
/// Decides whether a message may reach a record. The record's marks gate messages addressed to the record itself: a
/// recipient equal to one of the record's own addresses (the fields <see cref="ComplianceOptions"/> names). A message
/// about the record to someone else (its owner, a team) is not the record's to refuse; the suppression list
/// (<see cref="SuppressionStore"/>) gates every address whoever it belongs to.
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

    /// <summary>The record's own email addresses (lowercased), from <paramref name="fields"/>.</summary>
    public static IReadOnlySet<string> RecordEmails(JsonElement? record, IEnumerable<string> fields)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in Texts(record, fields))
        {
            if (InternetAddressList.TryParse(text, out var list))
            {
                found.UnionWith(list.Mailboxes.Select(m => m.Address.ToLowerInvariant()));
            }
        }

        return found;
    }

    /// <summary>The record's own phone numbers in E.164, from <paramref name="fields"/>.</summary>
    public static IReadOnlySet<string> RecordPhones(JsonElement? record, IEnumerable<string> fields, string defaultRegion)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in Texts(record, fields))
        {
            if (E164.TryNormalize(text, defaultRegion, out var e164, out _))
            {
                found.Add(e164);
            }
        }

        return found;
    }

    private static IEnumerable<string> Texts(JsonElement? record, IEnumerable<string> fields)
    {
        if (record is not { ValueKind: JsonValueKind.Object } r)
        {
            yield break;
        }

        foreach (var field in fields)
        {
            if (r.TryGetProperty(field, out var value))
            {
                if (value.ValueKind == JsonValueKind.String)
                {
                    yield return value.GetString()!;
                }
                else if (value.ValueKind == JsonValueKind.Number)
                {
                    yield return value.GetRawText();
                }
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
