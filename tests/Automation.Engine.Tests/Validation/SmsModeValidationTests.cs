using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>send_sms takes a body, a saved template or a brief for the model, as send_email does.</summary>
public class SmsModeValidationTests
{
    [Theory]
    [InlineData("""{ "to": "{{ record.phone }}", "mode": "template", "templateId": "renewal-reminder" }""")]
    [InlineData("""{ "to": "{{ record.phone }}", "mode": "personalized", "body": "Remind {{ record.firstName }} of the renewal.", "brandVoice": "Brief", "maxLength": 140 }""")]
    [InlineData("""{ "to": "{{ record.phone }}", "templateId": "renewal-reminder" }""")]
    public void A_template_or_a_brief_is_valid(string parameters)
    {
        AssertValid(WithAction("send_sms", parameters));
    }

    [Theory]
    [InlineData("""{ "to": "+14155550123" }""", "", "needs a body, or a templateId")]
    [InlineData("""{ "to": "+14155550123", "mode": "template", "body": "Hi" }""", ".templateId", "'templateId' is required when mode is template.")]
    [InlineData("""{ "to": "+14155550123", "mode": "personalized", "templateId": "t" }""", ".body", "'body' is required when mode is personalized.")]
    [InlineData("""{ "to": "+14155550123", "mode": "draft", "body": "Hi" }""", ".mode", "draft")]
    [InlineData("""{ "to": "+14155550123", "mode": "personalized", "body": "Hi", "maxLength": 5 }""", ".maxLength", "must be from 20 to 1600")]
    public void A_mode_without_what_it_needs_is_reported_at_its_path(string parameters, string path, string fragment)
    {
        AssertOnlyError(WithAction("send_sms", parameters), "steps[0].params" + path, fragment);
    }
}
