using System.Text.Json.Nodes;
using Automation.Engine.Model;
using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>name, module, enrollment, status.</summary>
public class HeaderValidationTests
{
    [Theory]
    [InlineData(null, "needs a name")]
    [InlineData("\"\"", "needs a name")]
    [InlineData("\"   \"", "needs a name")]
    [InlineData("42", "must be text")]
    public void Name_is_required_non_blank_text(string? json, string fragment)
    {
        var definition = With(d =>
        {
            d.Remove("name");
            if (json is not null)
            {
                d["name"] = JsonNode.Parse(json);
            }
        });

        AssertOnlyError(definition, "name", fragment);
    }

    [Fact]
    public void Name_may_have_200_characters_but_not_201()
    {
        AssertValid(With(d => d["name"] = new string('n', 200)));
        AssertOnlyError(With(d => d["name"] = new string('n', 201)), "name", "at most 200 characters; this one has 201");
    }

    [Theory]
    [InlineData("lead")]
    [InlineData("sales_order")]
    [InlineData("x2")]
    public void Module_accepts_lowercase_identifiers(string module)
    {
        AssertValid(With(d => d["module"] = module));
    }

    [Theory]
    [InlineData("Lead")]
    [InlineData("2lead")]
    [InlineData("sales-order")]
    [InlineData("_lead")]
    [InlineData("lead ")]
    public void Module_rejects_anything_else(string module)
    {
        AssertOnlyError(With(d => d["module"] = module), "module", "must start with a lowercase letter");
    }

    [Fact]
    public void Module_is_required()
    {
        AssertOnlyError(With(d => d.Remove("module")), "module", "needs a module");
    }

    [Fact]
    public void Module_longer_than_64_characters_is_refused()
    {
        AssertOnlyError(With(d => d["module"] = new string('m', 65)), "module", "at most 64 characters");
    }

    [Theory]
    [InlineData("once", Enrollment.Once)]
    [InlineData("every_time", Enrollment.EveryTime)]
    public void Enrollment_once_and_every_time_are_read_into_the_model(string text, Enrollment expected)
    {
        var result = Validate(With(d => d["enrollment"] = text));

        Assert.Equal(expected, result.Workflow!.Enrollment);
    }

    [Theory]
    [InlineData("\"always\"")]
    [InlineData("\"everyTime\"")]
    [InlineData("1")]
    public void Enrollment_other_than_once_or_every_time_is_an_error(string json)
    {
        AssertOnlyError(With(d => d["enrollment"] = JsonNode.Parse(json)), "enrollment", "enrollment");
    }

    [Fact]
    public void Enrollment_may_be_left_out_and_defaults_to_once()
    {
        var result = Validate(With(d => d.Remove("enrollment")));

        Assert.Equal(Enrollment.Once, result.Workflow!.Enrollment);
    }

    [Theory]
    [InlineData("draft", WorkflowStatus.Draft)]
    [InlineData("active", WorkflowStatus.Active)]
    [InlineData("paused", WorkflowStatus.Paused)]
    [InlineData("archived", WorkflowStatus.Archived)]
    public void Status_accepts_the_four_statuses(string text, WorkflowStatus expected)
    {
        Assert.Equal(expected, Validate(With(d => d["status"] = text)).Workflow!.Status);
    }

    [Fact]
    public void Status_rejects_an_unknown_status_and_lists_the_known_ones()
    {
        AssertOnlyError(With(d => d["status"] = "running"), "status", "must be one of: draft, active, paused, archived (not 'running')");
    }

    [Fact]
    public void Description_must_be_text_when_present()
    {
        AssertValid(With(d => d["description"] = "Greets leads from the web form."));
        AssertOnlyError(With(d => d["description"] = new JsonArray()), "description", "must be text");
    }
}
