using Automation.Engine.Templates;
using Automation.Engine.Tests.Conditions;
using static Automation.Engine.Tests.Templates.TemplateScopes;

namespace Automation.Engine.Tests.Templates;

public class TemplateRendererTests
{
    [Theory]
    [InlineData("Welcome, {{ record.firstName }}", "Welcome, Ada")]
    [InlineData("{{ record.address.city }} {{ record.address.zip }}", "Paris 75001")]
    [InlineData("{{ record.tags[1] }} {{ record.tags | join: '/' }} {{ record.tags.size }}", "web hot/web 2")]
    [InlineData("{{ previous.score }} -> {{ record.score }}", "40 -> 72")]
    [InlineData("{{ event.type }}: {{ event.data.name }}", "record.updated: Trial Started")]
    [InlineData("{{ run.id }} #{{ run.attempt }}", "run-9 #2")]
    [InlineData("{{ record.score | plus: 8 }}", "80")]
    [InlineData("{% if record.vip %}VIP{% else %}regular{% endif %}", "VIP")]
    [InlineData("{% if record.score > 50 %}hot{% endif %}", "hot")]
    [InlineData("{{ record.FIRSTNAME }}", "Ada")]
    [InlineData("{{ record.missing }}|{{ record.address.missing.deeper }}|{{ nobody.home }}", "||")]
    [InlineData("{{ record.nickname }}", "")]
    [InlineData("{% for t in record.tags %}[{{ forloop.index }}:{{ t }}]{% endfor %}", "[1:hot][2:web]")]
    [InlineData("<b>{{ record.contactName }}</b> & co", "<b>Ada Lovelace</b> & co")]
    public void Variables_reach_every_root_of_the_scope(string template, string expected)
    {
        Assert.Equal(expected, Render(template));
    }

    [Fact]
    public void Text_without_liquid_or_brackets_comes_back_unchanged()
    {
        Assert.Equal("Thanks for your interest. }} %}", Render("Thanks for your interest. }} %}"));
    }

    [Fact]
    public void Now_comes_from_the_scope_not_the_clock()
    {
        var scope = Default(now: new DateTimeOffset(1999, 12, 31, 23, 59, 0, TimeSpan.Zero));

        Assert.Equal("1999-12-31 23:59", Render("{{ now | date: '%Y-%m-%d %H:%M' }}", scope));
        Assert.Equal("1999-12-31", Render("{{ 'now' | date: '%Y-%m-%d' }}", scope));
        Assert.Equal("1999-12-31", Render("{{ 'today' | date: '%Y-%m-%d' }}", scope));
    }

    [Fact]
    public void A_scope_without_record_renders_missing_fields_as_empty()
    {
        Assert.Equal("Hi !", Render("Hi {{ record.firstName }}!", Scopes.Of()));
    }

    [Theory]
    [InlineData("Hello {{ record.firstName ", 1, 26, "End of tag '}}' was expected")]
    [InlineData("Line one\n{% if record.vip %}\nok {{ record.firstName }", 3, 23, "End of tag '}}' was expected")]
    [InlineData("{% for %}", 1, 7, "Invalid 'for' tag")]
    [InlineData("{% endif %}", 1, 9, "Unknown tag 'endif'")]
    public void Syntax_errors_carry_line_and_column(string template, int line, int column, string message)
    {
        var renderer = new TemplateRenderer();

        var error = renderer.Check(template);

        Assert.NotNull(error);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Syntax error at line {line}, column {column}", error.Message, StringComparison.Ordinal);
        Assert.Equal(error, renderer.Render(template, Default()).Error);
    }

    [Fact]
    public void An_unclosed_block_is_a_syntax_error()
    {
        var error = new TemplateRenderer().Check("{% if record.vip %}VIP");

        Assert.NotNull(error);
        Assert.StartsWith("Syntax error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_error_columns_refer_to_the_template_as_written_even_after_merge_fields()
    {
        // "[First Name]" becomes "{{ record.firstName }}" before parsing, which moves everything after it;
        // the error must point where it would in a template of the same length without merge fields.
        var error = new TemplateRenderer().Check("Hi [First Name], {{ record.score ");

        Assert.NotNull(error);
        Assert.Equal(1, error.Line);
        Assert.Equal(new TemplateRenderer().Check("Hi ............, {{ record.score ")!.Column, error.Column);
    }

    [Theory]
    [InlineData("Hello {{ record.firstName }}")]
    [InlineData("plain text")]
    [InlineData("Hi [First Name]")]
    [InlineData("{% for t in record.tags %}{{ t }}{% endfor %}")]
    public void Valid_templates_pass_the_check(string template)
    {
        Assert.Null(new TemplateRenderer().Check(template));
    }

    [Fact]
    public void Output_longer_than_the_limit_is_an_error()
    {
        var renderer = new TemplateRenderer(new TemplateLimits(MaxOutputLength: 50, MaxSteps: 10_000, MaxTemplateLength: 1_000));

        var result = renderer.Render("{% for i in (1..100) %}{{ record.firstName }}{% endfor %}", Default());

        Assert.False(result.Ok);
        Assert.Null(result.Output);
        Assert.Equal("output is longer than 50 characters", result.Error!.Message);
        Assert.Equal(new string('x', 50), renderer.Render(new string('x', 50), Default()).Output);
        Assert.False(renderer.Render(new string('x', 51), Default()).Ok);
    }

    [Theory]
    [InlineData("{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}")]
    [InlineData("{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}")]
    [InlineData("{% assign s = 'xxxxxxxxxx' | append: 'x' %}{% for i in (1..40) %}{% assign s = s | replace: 'x', 'xx' %}{% endfor %}{{ s | size }}")]
    public void A_string_doubled_in_a_loop_fails_fast_with_a_clear_error_and_bounded_memory(string template)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = new TemplateRenderer().Render(template, Default());

        Assert.False(result.Ok);
        Assert.Equal($"template builds a text longer than {TemplateLimits.Default.MaxValueLength} characters (look for a string appended to itself in a loop)", result.Error!.Message);
        // The limit is 256 K characters: one value past it is at most twice that, never the gigabytes the loop asks for.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L * 1024 * 1024);
    }

    [Fact]
    public void A_list_concatenated_with_itself_in_a_loop_fails_fast()
    {
        var result = new TemplateRenderer().Render("{% assign a = 'x,y' | split: ',' %}{% for i in (1..40) %}{% assign a = a | concat: a %}{% endfor %}{{ a | size }}", Default());

        Assert.False(result.Ok);
        Assert.StartsWith("template builds a list of more than", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_render_past_its_time_limit_stops_with_an_error()
    {
        // A timer that reads one second more at each look: the check, not the machine's clock, is what is tested.
        var reads = 0;
        var renderer = new TemplateRenderer(TemplateLimits.Default, () => () => TimeSpan.FromSeconds(reads++));

        var result = renderer.Render("{% for i in (1..1000) %}{% assign s = i | append: 'x' %}{% endfor %}", Default());

        Assert.False(result.Ok);
        Assert.Equal("template took longer than 2000 ms to render", result.Error!.Message);
        Assert.Equal(4, reads);
    }

    [Fact]
    public void A_loop_over_a_huge_range_stops_at_the_step_limit()
    {
        var renderer = new TemplateRenderer(new TemplateLimits(MaxOutputLength: 1_000_000, MaxSteps: 1_000, MaxTemplateLength: 1_000));

        var result = renderer.Render("{% for i in (1..100000000) %}{% assign x = i %}{% endfor %}", Default());

        Assert.False(result.Ok);
        Assert.Equal("range (1..100000000) has 100000000 items, more than the limit of 1000 steps", result.Error!.Message);
    }

    [Fact]
    public void Nested_loops_that_together_pass_the_step_limit_stop()
    {
        var renderer = new TemplateRenderer(new TemplateLimits(MaxOutputLength: 1_000_000, MaxSteps: 1_000, MaxTemplateLength: 1_000));

        var result = renderer.Render("{% for i in (1..500) %}{% for j in (1..500) %}{% assign x = j %}{% endfor %}{% endfor %}", Default());

        Assert.False(result.Ok);
        Assert.Contains("more than 1000 steps", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_built_from_record_fields_is_checked_when_it_is_evaluated()
    {
        var renderer = new TemplateRenderer(new TemplateLimits(MaxOutputLength: 1_000_000, MaxSteps: 1_000, MaxTemplateLength: 1_000));

        Assert.Equal("3", Render("{% assign n = 0 %}{% for i in (1..record.count) %}{% assign n = n | plus: 1 %}{% endfor %}{{ n }}", Scopes.Of("""{ "count": 3 }"""), renderer));
        Assert.StartsWith("range (1..5000)", renderer.Render("{% for i in (1..record.count) %}{% endfor %}", Scopes.Of("""{ "count": 5000 }""")).Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_loop_within_the_step_limit_renders()
    {
        var renderer = new TemplateRenderer(new TemplateLimits(MaxOutputLength: 1_000_000, MaxSteps: 1_000, MaxTemplateLength: 1_000));

        Assert.Equal(new string('x', 100), Render("{% for i in (1..100) %}x{% endfor %}", renderer: renderer));
    }

    [Fact]
    public void A_template_longer_than_the_limit_is_refused_before_parsing()
    {
        var renderer = new TemplateRenderer(new TemplateLimits(MaxOutputLength: 1_000, MaxSteps: 1_000, MaxTemplateLength: 20));

        Assert.Equal("template is longer than 20 characters", renderer.Check(new string('a', 21))!.Message);
        Assert.Equal("template is longer than 20 characters", renderer.Render("{{ record.firstName }}   ", Default()).Error!.Message);
        Assert.Null(renderer.Check(new string('a', 20)));
    }

    [Fact]
    public void An_unknown_filter_is_an_error_that_names_it()
    {
        var renderer = new TemplateRenderer();

        Assert.Equal("unknown filter 'upcse'", renderer.Render("{{ record.firstName | upcse }}", Default()).Error!.Message);
        Assert.Equal(
            "unknown filter 'nope', 'neither'",
            renderer.Check("{% if x %}{{ a | nope }}{% else %}{% for i in (1..2) %}{{ i | neither | nope }}{% endfor %}{% endif %}")!.Message);
        Assert.Null(renderer.Check("{{ record.amount | money: 'EUR' | upcase | local_date: '%Y' | default: 'x' }}"));
    }

    [Fact]
    public void Dividing_by_zero_is_an_error_not_a_crash()
    {
        var result = new TemplateRenderer().Render("{{ record.score | divided_by: 0 }}", Default());

        Assert.Equal("template divides by zero", result.Error!.Message);
    }

    [Fact]
    public void The_same_template_renders_with_each_scope_it_is_given()
    {
        var renderer = new TemplateRenderer();
        const string template = "Hi {{ record.firstName }}";

        Assert.Equal("Hi Ada", Render(template, renderer: renderer));
        Assert.Equal("Hi Grace", Render(template, Scopes.Of("""{ "firstName": "Grace" }"""), renderer));
    }

    [Fact]
    public void Templates_render_in_parallel_with_their_own_scopes()
    {
        var renderer = new TemplateRenderer();

        var outputs = Enumerable.Range(0, 200).AsParallel()
            .Select(i => (i, renderer.Render("{{ record.n | times: 2 }}", Scopes.Of($$"""{ "n": {{i}} }""")).Output))
            .ToList();

        Assert.All(outputs, o => Assert.Equal((o.i * 2).ToString(System.Globalization.CultureInfo.InvariantCulture), o.Output));
    }

    [Fact]
    public void A_full_cache_is_emptied_and_keeps_working()
    {
        var renderer = new TemplateRenderer();

        for (var i = 0; i < TemplateRenderer.CacheCapacity + 10; i++)
        {
            Assert.Equal($"{i}:Ada", Render($"{i}:{{{{ record.firstName }}}}", renderer: renderer));
        }
    }
}
