using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Automation.Runtime.Communication.Email;

/// <summary>
/// An email as rendered for one recipient set, before tracking and sending: what a draft holds while it waits for its
/// owner, and what the step log shows. Addresses are as written (<c>Ann &lt;ann@example.com&gt;</c>).
/// </summary>
public sealed record EmailContent
{
    public required string From { get; init; }

    public required IReadOnlyList<string> To { get; init; }

    public IReadOnlyList<string> Cc { get; init; } = [];

    public IReadOnlyList<string> Bcc { get; init; } = [];

    public string? ReplyTo { get; init; }

    public required string Subject { get; init; }

    public string? Html { get; init; }

    public string? Text { get; init; }

    /// <summary>The step's rendered attachment list, resolved (fetched or decoded) when the email is sent.</summary>
    public JsonElement? Attachments { get; init; }

    public string? TemplateId { get; init; }

    public int? TemplateVersion { get; init; }

    /// <summary>Count opens and clicks (HTML only).</summary>
    public bool Track { get; init; } = true;

    /// <summary>Addressed to the record itself: it carries an unsubscribe link and header that opt the record out.</summary>
    public bool ToRecord { get; init; }

    /// <summary><c>gmail</c> or <c>microsoft365</c>: sent from <see cref="MailboxOwner"/>'s own mailbox; null: over SMTP.</summary>
    public string? Via { get; init; }

    /// <summary>The owner whose mailbox sends it, when <see cref="Via"/> names one.</summary>
    public string? MailboxOwner { get; init; }
}

/// <summary>Turns a body given one way into the other: HTML to a plain-text alternative, plain text to simple HTML.</summary>
public static partial class EmailBodies
{
    /// <summary>True when the text holds an HTML tag (a body param may be either).</summary>
    public static bool LooksLikeHtml(string text) => TagPattern().IsMatch(text);

    /// <summary>A readable plain-text version of an HTML body: line breaks for blocks, links as "text (url)", no tags.</summary>
    public static string ToText(string html)
    {
        var text = CommentOrHeadPattern().Replace(html, "");
        text = LinkPattern().Replace(text, m =>
        {
            var inner = TagPattern().Replace(m.Groups["text"].Value, "").Trim();
            var url = m.Groups["url"].Value;
            return inner.Length == 0 || string.Equals(WebUtility.HtmlDecode(inner), WebUtility.HtmlDecode(url), StringComparison.Ordinal) ? url : $"{inner} ({url})";
        });
        text = BreakPattern().Replace(text, "\n");
        text = BlockEndPattern().Replace(text, "\n\n");
        text = TagPattern().Replace(text, "");
        text = WebUtility.HtmlDecode(text);
        text = SpacesPattern().Replace(text, " ");
        text = string.Join('\n', text.Split('\n').Select(l => l.Trim()));
        return BlankLinesPattern().Replace(text, "\n\n").Trim();
    }

    /// <summary>Paragraphs for blank-line-separated text, line breaks within them; everything HTML-encoded.</summary>
    public static string ToHtml(string text)
    {
        var html = new StringBuilder();
        foreach (var paragraph in BlankLinesPattern().Split(text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim()))
        {
            if (paragraph.Trim().Length > 0)
            {
                html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph.Trim()).Replace("\n", "<br>\n", StringComparison.Ordinal)).Append("</p>\n");
            }
        }

        return html.ToString();
    }

    [GeneratedRegex("<[a-zA-Z/!][^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex("<!--.*?-->|<head[^>]*>.*?</head>|<style[^>]*>.*?</style>|<script[^>]*>.*?</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CommentOrHeadPattern();

    [GeneratedRegex("""<a\s[^>]*?href\s*=\s*["'](?<url>[^"']+)["'][^>]*>(?<text>.*?)</a>""", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LinkPattern();

    [GeneratedRegex("<br\\s*/?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BreakPattern();

    [GeneratedRegex("</(p|div|h[1-6]|li|tr|table|ul|ol|blockquote)>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockEndPattern();

    [GeneratedRegex("[ \\t]+", RegexOptions.CultureInvariant)]
    private static partial Regex SpacesPattern();

    [GeneratedRegex("\\n\\s*\\n+", RegexOptions.CultureInvariant)]
    private static partial Regex BlankLinesPattern();
}
