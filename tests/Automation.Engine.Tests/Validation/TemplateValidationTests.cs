using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Model;
using System.Text.RegularExpressions;
using Automation.Engine.Templates;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>Template params and <c>delay.until</c> are syntax-checked with <see cref="TemplateRenderer.Check"/>.</summary>
public class TemplateValidationTests
{
    [Fact]
    public void A_syntax_error_in_a_template_param_is_reported_with_line_and_column()
    {
        var subject = "Hello {{ record.firstName ";
        var expected = new TemplateRenderer().Check(subject)!;

        var message = AssertOnlyError(
            WithAction("send_email", $$"""{ "to": "a@example.com", "subject": "{{subject}}", "body": "x" }"""),
            "steps[0].params.subject",
            $"Template error at line {expected.Line}, column {expected.Column}: ");

        Assert.Equal(1, expected.Line);
        Assert.DoesNotContain("Syntax error at line", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_line_of_an_error_in_a_multi_line_template_is_the_line_it_is_on()
    {
        var definition = WithAction("add_note", """{ "body": "Line one\nLine two\nLine {{ three " }""");

        var message = AssertOnlyError(definition, "steps[0].params.body", "Template error at line 3, column ");

        Assert.Matches(new Regex(@"^Template error at line 3, column \d+: \S"), message);
    }

    [Fact]
    public void An_unknown_filter_is_a_template_error()
    {
        AssertOnlyError(
            WithAction("add_note", """{ "body": "{{ record.name | shout }}" }"""),
            "steps[0].params.body",
            "shout");
    }

    [Theory]
    [InlineData("send_email", """{ "to": "{{ record.email }}", "cc": "{{ record.ownerEmail }}, boss@example.com", "subject": "Hi {{ record.firstName | default: 'there' }}", "body": "{% if record.vip %}VIP{% endif %}" }""")]
    [InlineData("send_sms", """{ "to": "{{ record.mobile }}", "body": "Hi [First Name]" }""")]
    [InlineData("send_sms", """{ "to": "[Mobile]", "body": "Hi" }""")]
    [InlineData("call_webhook", """{ "url": "https://{{ record.domain }}/hooks", "headers": { "X-Record": "{{ record.id }}" }, "body": { "items": [ { "name": "{{ record.name }}" } ] } }""")]
    [InlineData("create_task", """{ "title": "Call {{ record.name }}", "dueInDays": "{{ record.slaDays }}" }""")]
    [InlineData("update_field", """{ "fields": { "summary": "{{ record.firstName }} {{ record.lastName }}", "score": 10 } }""")]
    [InlineData("in_app_notification", """{ "userId": "{{ record.ownerId }}", "title": "New", "link": "{{ record.url }}" }""")]
    public void Templated_values_pass_and_skip_the_literal_format_checks(string action, string parameters)
    {
        AssertValid(WithAction(action, parameters));
    }

    [Theory]
    [InlineData("update_field", """{ "fields": { "summary": "{{ record.firstName " } }""", "steps[0].params.fields.summary")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "headers": { "X-Id": "{% if %}" } }""", "steps[0].params.headers.X-Id")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "body": { "items": [ "ok", { "n": "{{ " } ] } }""", "steps[0].params.body.items[1].n")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "body": "x", "attachments": [ { "url": "{{ record.file " } ] }""", "steps[0].params.attachments[0].url")]
    [InlineData("send_email", """{ "to": ["a@example.com", "{{ record.email "], "subject": "Hi", "body": "x" }""", "steps[0].params.to[1]")]
    public void Template_errors_inside_objects_and_lists_are_reported_at_their_own_path(string action, string parameters, string path)
    {
        AssertOnlyError(WithAction(action, parameters), path, "Template error");
    }

    [Fact]
    public void A_key_with_a_dot_is_quoted_in_the_path()
    {
        AssertOnlyError(
            WithAction("update_field", """{ "fields": { "address.city": "{{ record.city " } }"""),
            "steps[0].params.fields[\"address.city\"]",
            "Template error");
    }

    [Fact]
    public void Param_paths_are_the_renderers_keys_under_the_step()
    {
        var parameters = """{ "fields": { "address.city": "{{ a ", "plain": "{{ b ", "list": [ "{{ c " ] } }""";
        using var document = JsonDocument.Parse(parameters);
        var rendered = new TemplateRenderer().RenderParams(document.RootElement, new EvaluationScope { Now = DateTimeOffset.UnixEpoch });

        var result = Validate(WithAction("update_field", parameters));

        Assert.Equal(3, rendered.Errors.Count);
        Assert.Equal(rendered.Errors.Keys.Select(k => "steps[0].params." + k).Order(), result.Errors.Keys.Order());
    }

    [Fact]
    public void Literal_params_are_not_parsed_as_templates()
    {
        AssertValid(WithAction("call_webhook", """{ "url": "https://x.example.com", "secret": "{{not-a-template" }"""));
    }

    [Fact]
    public void A_template_longer_than_the_renderer_allows_is_an_error_even_without_markup()
    {
        var limit = new TemplateRenderer().Limits.MaxTemplateLength;
        var definition = WithAction("add_note", "{}");
        definition["steps"]![0]!["params"]!["body"] = new string('x', limit + 1);

        AssertOnlyError(definition, "steps[0].params.body", "Template error");
    }

    [Fact]
    public void Until_may_be_a_template()
    {
        AssertValid(With(d => d["steps"]![1]!["delay"] = JsonNode.Parse("""{ "until": "{{ record.renewalDate | date: '%Y-%m-%d' }}" }""")));
    }

    [Fact]
    public void A_syntax_error_in_until_is_reported_at_until()
    {
        AssertOnlyError(
            With(d => d["steps"]![1]!["delay"] = JsonNode.Parse("""{ "until": "{{ record.renewalDate " }""")),
            "steps[1].delay.until",
            "Template error at line 1, column ");
    }
}
