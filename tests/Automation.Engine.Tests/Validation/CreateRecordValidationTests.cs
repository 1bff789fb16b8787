using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>create_record names a module as workflows do, and leaves the link back to the action.</summary>
public class CreateRecordValidationTests
{
    [Theory]
    [InlineData("""{ "module": "project", "fields": { "name": "Onboarding {{ record.name }}", "startDate": "{{ record.signedAt }}" } }""")]
    [InlineData("""{ "module": "sales_order", "fields": { "total": 12 }, "ownerId": "u-ops" }""")]
    public void A_module_and_fields_are_valid(string parameters)
    {
        AssertValid(WithAction("create_record", parameters));
    }

    [Theory]
    [InlineData("""{ "module": "Project", "fields": { "name": "x" } }""", "module", "must start with a lowercase letter")]
    [InlineData("""{ "module": "on-boarding", "fields": { "name": "x" } }""", "module", "'on-boarding'")]
    [InlineData("""{ "module": "project", "fields": { "name": "x", "relatedRecordId": "L-1" } }""", "fields.relatedRecordId", "set by create_record itself")]
    [InlineData("""{ "module": "project", "fields": { "relatedModule": "deal" } }""", "fields.relatedModule", "links back")]
    [InlineData("""{ "module": "project", "fields": "name=x" }""", "fields", "must be an object")]
    [InlineData("""{ "fields": { "name": "x" } }""", "module", "required")]
    [InlineData("""{ "module": "project" }""", "fields", "required")]
    public void A_bad_module_or_field_is_reported_at_its_path(string parameters, string path, string fragment)
    {
        AssertOnlyError(WithAction("create_record", parameters), $"steps[0].params.{path}", fragment);
    }
}
