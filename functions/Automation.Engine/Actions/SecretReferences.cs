using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Engine.Validation;

namespace Automation.Engine.Actions;

/// <summary>
/// A step may name a secret of configuration instead of holding it: <c>${secret:NAME}</c> in a secret parameter
/// (webhook headers and signing secret, Slack token and webhook URL, any key naming a credential), alone or inside
/// literal text (<c>"Authorization": "Bearer ${secret:CRM_TOKEN}"</c>). The runtime replaces it with
/// <c>Automation:Secrets:NAME</c> just before the action runs; the definition, the step log and the API keep the
/// reference. A value holding a reference may not also hold a template, and references stand only at secret positions,
/// so record data can never pull a secret into a message.
/// </summary>
public static partial class SecretReferences
{
    public const string Marker = "${secret:";

    /// <summary>Secret names: what an environment variable and a Key Vault secret name can both hold.</summary>
    [GeneratedRegex(@"\$\{secret:(?<name>[A-Za-z][A-Za-z0-9_-]{0,126})\}", RegexOptions.CultureInvariant)]
    public static partial Regex Reference();

    public static bool Contains(string text) => text.Contains(Marker, StringComparison.Ordinal);

    /// <summary>True when the text holds references and nothing else that could be a secret: references and literal text without templates.</summary>
    public static bool IsReferenceOnly(string text) =>
        Contains(text) && !ValueFormats.HasTemplateMarkup(text) && !Reference().Replace(text, "").Contains(Marker, StringComparison.Ordinal);

    /// <summary>The text with each reference replaced by <paramref name="lookup"/>'s value; null (and the name) when one is not configured.</summary>
    public static string? Resolve(string text, Func<string, string?> lookup, out string? missing)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        string? absent = null;
        var resolved = Reference().Replace(text, m =>
        {
            var value = lookup(m.Groups["name"].Value);
            absent ??= value is null ? m.Groups["name"].Value : null;
            return value ?? "";
        });
        missing = absent;
        return absent is null ? resolved : null;
    }

    /// <summary>Validation: references only at secret positions, well formed, never mixed with templates.</summary>
    internal static void Check(ValidationContext ctx, string actionType, JsonElement parameters, string paramsPath)
    {
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.GetRawText().Contains(Marker, StringComparison.Ordinal))
        {
            return;
        }

        var allowed = new HashSet<string>(StringComparer.Ordinal);
        SecretMasker.VisitSecrets(parameters, actionType, (path, value) =>
        {
            if (value?.GetValueKind() == JsonValueKind.String && Contains(value.GetValue<string>()))
            {
                var text = value.GetValue<string>();
                var at = SecretMasker.JsonPathOf(paramsPath, path);
                allowed.Add(at);
                if (!IsReferenceOnly(text))
                {
                    ctx.Error(at, ValueFormats.HasTemplateMarkup(text)
                        ? "A value that refers to a secret (${secret:NAME}) cannot also hold a template."
                        : "A secret reference is written ${secret:NAME}: a letter, then letters, digits, '_' or '-'.");
                }
            }
        });
        Misplaced(ctx, parameters, paramsPath, allowed);
    }

    private static void Misplaced(ValidationContext ctx, JsonElement value, string path, HashSet<string> allowed)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String when Contains(value.GetString()!) && !allowed.Contains(path):
                ctx.Error(path, "A secret reference (${secret:NAME}) may only stand in a secret parameter (headers, secret, botToken, webhookUrl, or a key naming a credential such as apiKey or password).");
                break;
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject())
                {
                    Misplaced(ctx, p.Value, JsonPaths.Property(path, p.Name), allowed);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Misplaced(ctx, item, JsonPaths.Index(path, i++), allowed);
                }

                break;
        }
    }
}
