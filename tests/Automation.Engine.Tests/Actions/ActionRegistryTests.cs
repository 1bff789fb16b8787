using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Json;

namespace Automation.Engine.Tests.Actions;

public class ActionRegistryTests
{
    private static readonly string[] ProductActions =
    [
        "send_email", "send_sms", "initiate_call", "call_webhook", "slack_message", "notify_team", "in_app_notification",
        "assign_owner", "mark_contact", "update_field", "change_status", "move_stage", "create_task", "create_case",
        "create_opportunity", "create_record", "add_note", "attach_document", "start_workflow", "add_to_sequence",
    ];

    [Fact]
    public void The_registry_describes_every_action_of_the_product_once()
    {
        Assert.Equal(ProductActions.Order(), ActionRegistry.Types.Order());
        Assert.Equal(ActionRegistry.All.Count, ActionRegistry.Types.Distinct().Count());
        Assert.All(ProductActions, type => Assert.True(ActionRegistry.IsKnown(type), type));
    }

    [Fact]
    public void Lookup_finds_known_types_and_refuses_unknown_ones()
    {
        Assert.True(ActionRegistry.TryGet("send_sms", out var sms));
        Assert.Equal("send_sms", sms.Type);
        Assert.Same(sms, ActionRegistry.Get("send_sms"));
        Assert.False(ActionRegistry.TryGet("send_fax", out _));
        Assert.False(ActionRegistry.IsKnown("SEND_SMS"));
        Assert.Throws<KeyNotFoundException>(() => ActionRegistry.Get("send_fax"));
    }

    [Theory]
    [InlineData("send_email", ActionCategory.Communication)]
    [InlineData("send_sms", ActionCategory.Communication)]
    [InlineData("initiate_call", ActionCategory.Communication)]
    [InlineData("slack_message", ActionCategory.Communication)]
    [InlineData("notify_team", ActionCategory.Communication)]
    [InlineData("in_app_notification", ActionCategory.Communication)]
    [InlineData("call_webhook", ActionCategory.Integration)]
    [InlineData("assign_owner", ActionCategory.Record)]
    [InlineData("mark_contact", ActionCategory.Record)]
    [InlineData("update_field", ActionCategory.Record)]
    [InlineData("change_status", ActionCategory.Record)]
    [InlineData("move_stage", ActionCategory.Record)]
    [InlineData("create_task", ActionCategory.Record)]
    [InlineData("create_case", ActionCategory.Record)]
    [InlineData("create_opportunity", ActionCategory.Record)]
    [InlineData("create_record", ActionCategory.Record)]
    [InlineData("add_note", ActionCategory.Record)]
    [InlineData("attach_document", ActionCategory.Record)]
    [InlineData("start_workflow", ActionCategory.Flow)]
    [InlineData("add_to_sequence", ActionCategory.Flow)]
    public void Each_action_has_its_category(string type, ActionCategory category)
    {
        Assert.Equal(category, ActionRegistry.Get(type).Category);
    }

    [Fact]
    public void Exactly_email_sms_and_call_are_channels_subject_to_do_not_contact()
    {
        var channels = ActionRegistry.All.Where(a => a.RespectsDoNotContact).ToDictionary(a => a.Type, a => a.Channel);

        Assert.Equal(
            new Dictionary<string, ContactChannel?>
            {
                ["send_email"] = ContactChannel.Email,
                ["send_sms"] = ContactChannel.Sms,
                ["initiate_call"] = ContactChannel.Call,
            },
            channels);
    }

    [Fact]
    public void Exactly_the_record_actions_change_the_record()
    {
        Assert.All(ActionRegistry.All, a => Assert.Equal(a.Category == ActionCategory.Record, a.ChangesRecord));
    }

    [Fact]
    public void Every_description_is_one_sentence()
    {
        var texts = ActionRegistry.All.Select(a => a.Description)
            .Concat(ActionRegistry.All.SelectMany(a => a.Parameters).Select(p => p.Description))
            .Concat(ActionRegistry.All.SelectMany(a => a.RequiredChoices).Select(c => c.Description));

        Assert.All(texts, text =>
        {
            Assert.True(char.IsUpper(text[0]) || char.IsLower(text[0]), text);
            Assert.EndsWith(".", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Parameter_names_are_unique_within_an_action()
    {
        Assert.All(ActionRegistry.All, a => Assert.Equal(a.Parameters.Count, a.Parameters.Select(p => p.Name).Distinct().Count()));
    }

    [Fact]
    public void Choices_and_conditions_name_parameters_the_action_has()
    {
        Assert.All(ActionRegistry.All, action =>
        {
            var names = action.Parameters.Select(p => p.Name).ToHashSet();
            Assert.All(action.RequiredChoices.SelectMany(c => c.Options).SelectMany(o => o), name => Assert.Contains(name, names));
            Assert.All(action.Parameters.Where(p => p.RequiredWhen is not null), p =>
            {
                var other = action.Parameter(p.RequiredWhen!.Parameter);
                Assert.NotNull(other);
                Assert.NotNull(other.AllowedValues);
                Assert.All(p.RequiredWhen.Values, v => Assert.Contains(v, other.AllowedValues));
            });
        });
    }

    [Fact]
    public void Allowed_values_are_only_on_literal_text_and_bounds_only_on_numbers()
    {
        var parameters = ActionRegistry.All.SelectMany(a => a.Parameters).ToList();

        Assert.All(parameters.Where(p => p.AllowedValues is not null), p =>
        {
            Assert.False(p.Template, p.Name);
            Assert.Equal(ActionParameterType.String, p.Type);
        });
        Assert.All(parameters.Where(p => p.Minimum is not null || p.Maximum is not null), p => Assert.Equal(ActionParameterType.Number, p.Type));
    }

    [Theory]
    [InlineData("call_webhook", "secret")]
    [InlineData("call_webhook", "headers")]
    [InlineData("slack_message", "botToken")]
    [InlineData("slack_message", "webhookUrl")]
    public void Credentials_are_marked_secret_so_step_logs_mask_them(string type, string name)
    {
        Assert.True(ActionRegistry.Get(type).Parameter(name)!.Secret);
    }

    [Fact]
    public void Send_email_declares_the_parameters_of_the_product()
    {
        var email = ActionRegistry.Get("send_email");

        Assert.Equal(
            [
                "to", "cc", "bcc", "from", "replyTo", "subject", "body", "html", "text", "templateId", "mode", "attachments", "brandVoice",
                "sendWindow", "approvalTimeoutHours", "onApprovalTimeout", "track", "via", "notifyOwner",
            ],
            email.Parameters.Select(p => p.Name));
        Assert.Equal(["to"], email.Parameters.Where(p => p.Required).Select(p => p.Name));
        Assert.Equal(["skip", "fail"], email.Parameter("onApprovalTimeout")!.AllowedValues);
        Assert.Equal(["template", "draft", "personalized"], email.Parameter("mode")!.AllowedValues);
        Assert.Equal(ActionParameterType.Email, email.Parameter("replyTo")!.Type);
        Assert.True(email.Parameter("subject")!.Template);
        Assert.False(email.Parameter("mode")!.Template);
    }

    [Fact]
    public void Call_webhook_offers_the_five_http_methods()
    {
        Assert.Equal(["GET", "POST", "PUT", "PATCH", "DELETE"], ActionRegistry.Get("call_webhook").Parameter("method")!.AllowedValues);
    }

    [Fact]
    public void The_registry_serializes_in_camel_case_with_enums_as_strings_for_the_api()
    {
        var json = JsonSerializer.Serialize(ActionRegistry.All, EngineJson.Options);
        var email = JsonNode.Parse(json)!.AsArray().Single(a => (string?)a!["type"] == "send_email")!.AsObject();

        Assert.Equal("communication", (string?)email["category"]);
        Assert.Equal("email", (string?)email["channel"]);
        Assert.True((bool)email["respectsDoNotContact"]!);
        Assert.False((bool)email["changesRecord"]!);
        Assert.Contains("do-not-contact", (string?)email["description"], StringComparison.Ordinal);

        var to = email["parameters"]![0]!.AsObject();
        Assert.Equal(["name", "type", "required", "template", "description", "secret"], to.Select(p => p.Key));
        Assert.Equal("email", (string?)to["type"]);
        Assert.True((bool)to["required"]!);

        var mode = email["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "mode")!;
        Assert.Equal("""["template","draft","personalized"]""", mode["allowedValues"]!.ToJsonString());
        Assert.Equal("""[["body"],["html"],["text"],["templateId"]]""", email["requiredChoices"]![0]!["options"]!.ToJsonString());
        Assert.Equal("mode", (string?)email["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "templateId")!["requiredWhen"]!["parameter"]);
    }

    [Fact]
    public void A_record_action_has_no_channel_in_its_json()
    {
        var json = JsonSerializer.SerializeToNode(ActionRegistry.Get("update_field"), EngineJson.Options)!.AsObject();

        Assert.False(json.ContainsKey("channel"));
        Assert.False((bool)json["respectsDoNotContact"]!);
        Assert.Equal("record", (string?)json["category"]);
    }

    [Theory]
    [InlineData(ActionParameterType.String, "string")]
    [InlineData(ActionParameterType.Number, "number")]
    [InlineData(ActionParameterType.Boolean, "boolean")]
    [InlineData(ActionParameterType.Object, "object")]
    [InlineData(ActionParameterType.Array, "array")]
    [InlineData(ActionParameterType.Email, "email")]
    [InlineData(ActionParameterType.Url, "url")]
    [InlineData(ActionParameterType.Phone, "phone")]
    [InlineData(ActionParameterType.DateTime, "datetime")]
    public void Parameter_types_serialize_as_the_api_names_them(ActionParameterType type, string name)
    {
        Assert.Equal($"\"{name}\"", JsonSerializer.Serialize(type, EngineJson.Options));
    }
}
