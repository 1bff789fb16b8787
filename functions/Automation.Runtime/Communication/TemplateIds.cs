using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Runtime.Communication;

/// <summary>Template ids: <c>[a-z0-9-]{1,64}</c>, given or made from the name.</summary>
public static partial class TemplateIds
{
    public static bool IsValid(string id) => IdPattern().IsMatch(id);

    /// <summary>The name as a slug, with a random suffix so that two templates of one name get two ids.</summary>
    public static string FromName(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var stem = slug.ToString().Trim('-');
        stem = stem.Length > 50 ? stem[..50].TrimEnd('-') : stem;
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        return stem.Length == 0 ? "template-" + suffix : stem + "-" + suffix;
    }

    [GeneratedRegex("^[a-z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
