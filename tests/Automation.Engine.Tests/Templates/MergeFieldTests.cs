using Automation.Engine.Templates;
using static Automation.Engine.Tests.Templates.TemplateScopes;

namespace Automation.Engine.Tests.Templates;

public class MergeFieldTests
{
    [Theory]
    [InlineData("Hi [First Name],", "Hi Ada,")]
    [InlineData("Dear [Contact Name]", "Dear Ada Lovelace")]
    [InlineData("Score: [score]", "Score: 72")]
    [InlineData("Owner: [Owner ID]", "Owner: u-7")]
    [InlineData("[first_name]", "ada")]
    [InlineData("[FIRSTNAME]", "Ada")]
    [InlineData("([First Name])", "(Ada)")]
    [InlineData("[First Name] [Last Name]", "Ada Lovelace")]
    [InlineData("Hi [First Name], your score is {{ record.score }}.", "Hi Ada, your score is 72.")]
    [InlineData("Line 1\n[First Name]\n", "Line 1\nAda\n")]
    public void Bracket_fields_resolve_to_record_fields(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Fact]
    public void An_unknown_bracket_field_renders_empty_like_a_missing_variable()
    {
        Assert.Equal("Hi !", Render("Hi [Favourite Colour]!"));
    }

    [Theory]
    [InlineData("See [the docs](https://example.com/docs).")]
    [InlineData("Values: [1, 2, 3]")]
    [InlineData("{\"ids\": [1, 2]}")]
    [InlineData("[\"a\", \"b\"]")]
    [InlineData("See [docs][ref] and [ref]: https://example.com")]
    [InlineData("items[first] and [ leading space]")]
    [InlineData("[3 items]")]
    [InlineData("[Name-With-Dash] [e.mail]")]
    [InlineData("[]")]
    public void Text_that_only_looks_like_brackets_is_left_alone(string template)
    {
        Assert.Equal(template, Render(template));
    }

    [Theory]
    [InlineData("{{ record.tags[0] }}", "hot")]
    [InlineData("{% assign t = record.tags[1] %}{{ t }}", "web")]
    [InlineData("{% raw %}[First Name]{% endraw %}", "[First Name]")]
    public void Brackets_inside_liquid_are_not_merge_fields(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Theory]
    [InlineData("Contact Name", "contactName")]
    [InlineData("First Name", "firstName")]
    [InlineData("score", "score")]
    [InlineData("ownerId", "ownerId")]
    [InlineData("Owner ID", "ownerId")]
    [InlineData("Address Line 2", "addressLine2")]
    [InlineData("first_name", "first_name")]
    [InlineData("Lead_Source Name", "leadSourceName")]
    public void Labels_become_camel_cased_field_names(string label, string expected)
    {
        Assert.Equal(expected, MergeFields.ToFieldName(label));
    }

    [Fact]
    public void Translation_reports_where_each_field_went()
    {
        var translation = MergeFields.Translate("Hi [First Name]!");

        Assert.Equal("Hi {{ record.firstName }}!", translation.Text);
        var replacement = Assert.Single(translation.Replacements);
        Assert.Equal(3, replacement.TranslatedStart);
        Assert.Equal("[First Name]".Length, replacement.OriginalLength);
        Assert.Equal((1, 4), translation.ToOriginal(1, 10));
        Assert.Equal((1, 16), translation.ToOriginal(1, 26));
    }
}
