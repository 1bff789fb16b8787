using System.Globalization;
using System.Text.RegularExpressions;

namespace Automation.Engine.Validation;

/// <summary>
/// Recognizes relative dates without resolving them: <c>now</c>, <c>today</c>, <c>yesterday</c>, <c>tomorrow</c>,
/// and offsets <c>[+|-]N unit</c> with unit s, m, h, d or w (<c>-7d</c>, <c>+2h</c>).
/// </summary>
// TODO(issue 3): use Conditions.RelativeDate.IsValid once the conditions slice is merged, so that the
// evaluator and validation can never disagree; this copy follows the same grammar until then.
internal static partial class RelativeDateSyntax
{
    private const int MaxAmount = 1_000_000;

    public static bool IsValid(string text)
    {
        if (text.Trim().ToLowerInvariant() is "now" or "today" or "yesterday" or "tomorrow")
        {
            return true;
        }

        var match = Offset().Match(text);
        return match.Success
            && int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            && amount <= MaxAmount;
    }

    [GeneratedRegex(@"^\s*[+-]?(?<n>\d{1,7})[smhdw]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Offset();
}
