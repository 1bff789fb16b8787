using System.Text.Json;
using Automation.Engine.Templates;
using Automation.Engine.Tests.Conditions;
using static Automation.Engine.Tests.Templates.TemplateScopes;

namespace Automation.Engine.Tests.Templates;

public class RenderParamsTests
{
    private static RenderedParams RenderParams(string json, TemplateRenderer? renderer = null) =>
        (renderer ?? new TemplateRenderer()).RenderParams(Scopes.Json(json), Default());

    [Fact]
    public void Every_string_is_rendered_at_any_depth_and_other_values_pass_through()
    {
        var result = RenderParams("""
            {
              "to": "{{ record.email | default: 'ada@example.com' }}",
              "subject": "Welcome, [First Name]",
              "dueInDays": 2, "urgent": false, "cc": null,
              "headers": { "X-Id": "{{ run.id }}", "X-Static": "plain" },
              "items": [ { "name": "{{ record.tags[0] }}", "qty": 1.50 }, "{{ event.type }}", 7 ],
              "template": "{{ now | date: '%Y' }}"
            }
            """);

        Assert.True(result.Ok);
        var expected = """
            {"to":"ada@example.com","subject":"Welcome, Ada","dueInDays":2,"urgent":false,"cc":null,"headers":{"X-Id":"run-9","X-Static":"plain"},"items":[{"name":"hot","qty":1.50},"record.updated",7],"template":"2026"}
            """;
        Assert.Equal(expected, result.Rendered.GetRawText());
    }

    [Fact]
    public void Rendered_strings_stay_strings_even_when_they_look_like_numbers()
    {
        var result = RenderParams("""{ "score": "{{ record.score }}" }""");

        Assert.Equal(JsonValueKind.String, result.Rendered.GetProperty("score").ValueKind);
        Assert.Equal("72", result.Rendered.GetProperty("score").GetString());
    }

    [Fact]
    public void Errors_are_keyed_by_the_param_path()
    {
        var result = RenderParams("""
            {
              "subject": "Hi {{ record.firstName ",
              "headers": { "X-Id": "{% if %}", "ok": "{{ run.id }}", "a.b": "{{ x | nope }}" },
              "items": [ { "name": "{{ 1 | divided_by: 0 }}" } ]
            }
            """);

        Assert.False(result.Ok);
        Assert.Equal(["headers.X-Id", "headers[\"a.b\"]", "items[0].name", "subject"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(1, result.Errors["subject"].Line);
        Assert.Equal("template divides by zero", result.Errors["items[0].name"].Message);
        Assert.Equal("run-9", result.Rendered.GetProperty("headers").GetProperty("ok").GetString());
        Assert.Equal("Hi {{ record.firstName ", result.Rendered.GetProperty("subject").GetString());
    }

    [Fact]
    public void No_params_render_as_an_empty_object()
    {
        var result = new TemplateRenderer().RenderParams(null, Default());

        Assert.True(result.Ok);
        Assert.Equal("{}", result.Rendered.GetRawText());
    }

    [Fact]
    public void Non_ascii_text_is_kept_readable()
    {
        var result = RenderParams("""{ "body": "Café — {{ record.amount | money: 'EUR' }} <ok>" }""");

        Assert.Equal("Café — €50,000.00 <ok>", result.Rendered.GetProperty("body").GetString());
        Assert.Contains("Café — €50,000.00 <ok>", result.Rendered.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_output_limit_applies_to_each_param()
    {
        var renderer = new TemplateRenderer(new TemplateLimits(MaxOutputLength: 10, MaxSteps: 1_000, MaxTemplateLength: 100));

        var result = renderer.RenderParams(Scopes.Json("""{ "short": "{{ record.firstName }}", "long": "{{ record.contactName }}{{ record.contactName }}" }"""), Default());

        Assert.Equal("Ada", result.Rendered.GetProperty("short").GetString());
        Assert.Equal("output is longer than 10 characters", Assert.Single(result.Errors).Value.Message);
        Assert.Equal("long", Assert.Single(result.Errors).Key);
    }
}
