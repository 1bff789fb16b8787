using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Engine.Templates;

/// <summary>
/// Bracket merge fields as CRM users write them (<c>[Contact Name]</c>, <c>[score]</c>) become Liquid
/// (<c>{{ record.contactName }}</c>, <c>{{ record.score }}</c>) before parsing.
/// The rule, kept small so an admin can predict it: a bracket is a merge field when its content starts with an
/// ASCII letter and holds only ASCII letters, digits, spaces and underscores; it is not inside <c>{{ }}</c>, <c>{% %}</c> or
/// a raw block; it is not directly preceded by a letter, digit or <c>]</c> (<c>items[first]</c>, the label of a
/// Markdown reference link) and not followed by <c>(</c>, <c>[</c> or <c>: https://</c> (a Markdown link or link definition). So <c>[1, 2]</c>,
/// <c>[docs](https://...)</c> and <c>{{ tags[0] }}</c> stay as they are.
/// A name with spaces is camel-cased (<c>Contact Name</c> → <c>contactName</c>, <c>Owner ID</c> → <c>ownerId</c>);
/// a name without spaces is used as written (<c>first_name</c>). Record fields match in any case.
/// </summary>
public static partial class MergeFields
{
    /// <summary>The template with its merge fields replaced, and where each replacement went (to map error positions back).</summary>
    public sealed record Translation(string Text, IReadOnlyList<Replacement> Replacements)
    {
        /// <summary>The position in the original template of a 1-based line and column of <see cref="Text"/>.</summary>
        public (int Line, int Column) ToOriginal(int line, int column)
        {
            if (Replacements.Count == 0)
            {
                return (line, column);
            }

            // Replacements never span lines, so only the column moves.
            var lineStart = 0;
            for (var l = 1; l < line; l++)
            {
                var next = Text.IndexOf('\n', lineStart);
                if (next < 0)
                {
                    return (line, column);
                }

                lineStart = next + 1;
            }

            var offset = lineStart + column - 1;
            var shift = 0;
            foreach (var r in Replacements.Where(r => r.TranslatedStart >= lineStart))
            {
                if (offset < r.TranslatedStart)
                {
                    break;
                }

                if (offset < r.TranslatedStart + r.TranslatedLength)
                {
                    return (line, column - (offset - r.TranslatedStart) - shift);
                }

                shift += r.TranslatedLength - r.OriginalLength;
            }

            return (line, column - shift);
        }
    }

    public sealed record Replacement(int TranslatedStart, int TranslatedLength, int OriginalLength);

    /// <summary>True when the template may hold merge fields (cheap pre-check).</summary>
    public static bool MayContain(string template) => template.Contains('[', StringComparison.Ordinal);

    public static Translation Translate(string template)
    {
        if (!MayContain(template))
        {
            return new Translation(template, []);
        }

        var output = new StringBuilder(template.Length + 32);
        var replacements = new List<Replacement>();
        var position = 0;
        foreach (Match liquid in LiquidRegion().Matches(template))
        {
            TranslateText(template, position, liquid.Index, output, replacements);
            output.Append(liquid.Value);
            position = liquid.Index + liquid.Length;
        }

        TranslateText(template, position, template.Length, output, replacements);
        return new Translation(output.ToString(), replacements);
    }

    /// <summary>The record field a merge field label names: <c>Contact Name</c> → <c>contactName</c>.</summary>
    public static string ToFieldName(string label)
    {
        label = label.Trim();
        if (!label.Contains(' ', StringComparison.Ordinal))
        {
            return label;
        }

        var words = label.Split([' ', '_'], StringSplitOptions.RemoveEmptyEntries);
        var name = new StringBuilder(label.Length);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];

            // "ID", "URL": an all-caps word is an abbreviation, camel-cased as one word (ownerId).
            if (word.Length > 1 && word.All(c => !char.IsLower(c)))
            {
                word = word[0] + word[1..].ToLowerInvariant();
            }

            name.Append(i == 0 ? char.ToLowerInvariant(word[0]) : char.ToUpperInvariant(word[0]));
            name.Append(word, 1, word.Length - 1);
        }

        return name.ToString();
    }

    private static void TranslateText(string template, int start, int end, StringBuilder output, List<Replacement> replacements)
    {
        if (start >= end)
        {
            return;
        }

        var text = template[start..end];
        var position = 0;
        foreach (Match field in Field().Matches(text))
        {
            output.Append(text, position, field.Index - position);
            var liquid = string.Create(CultureInfo.InvariantCulture, $"{{{{ record.{ToFieldName(field.Groups["name"].Value)} }}}}");
            replacements.Add(new Replacement(output.Length, liquid.Length, field.Length));
            output.Append(liquid);
            position = field.Index + field.Length;
        }

        output.Append(text, position, text.Length - position);
    }

    [GeneratedRegex(@"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex LiquidRegion();

    [GeneratedRegex(@"(?<![\]A-Za-z0-9_])\[(?<name>[A-Za-z][A-Za-z0-9_ ]*)\](?![\(\[]|:[ \t]*(https?://|mailto:))", RegexOptions.CultureInvariant)]
    private static partial Regex Field();
}
