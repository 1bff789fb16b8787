using System.Text.Json;
using Automation.Engine.Actions;

namespace Automation.Engine.Tests.Actions;

public sealed class SecretMaskerTests
{
    private static JsonElement Mask(string action, string json) =>
        SecretMasker.Apply(JsonDocument.Parse(json).RootElement, action)!.Value;

    [Fact]
    public void A_parameter_the_registry_marks_secret_is_masked_and_the_others_are_kept()
    {
        var masked = Mask("call_webhook", """{ "url": "https://example.com/h", "secret": "s3cret", "body": { "email": "a@example.com" } }""");

        Assert.Equal("***", masked.GetProperty("secret").GetString());
        Assert.Equal("https://example.com/h", masked.GetProperty("url").GetString());
        Assert.Equal("a@example.com", masked.GetProperty("body").GetProperty("email").GetString());
    }

    [Fact]
    public void Secret_headers_keep_their_names_so_the_log_still_says_which_were_sent()
    {
        var masked = Mask("call_webhook", """{ "url": "https://example.com/h", "headers": { "X-Tenant": "acme", "Authorization": "Bearer abc" } }""");

        Assert.Equal("***", masked.GetProperty("headers").GetProperty("X-Tenant").GetString());
        Assert.Equal("***", masked.GetProperty("headers").GetProperty("Authorization").GetString());
    }

    [Theory]
    [InlineData("apiKey")]
    [InlineData("password")]
    [InlineData("x-auth-token")]
    [InlineData("Cookie")]
    public void A_key_that_names_a_credential_is_masked_at_any_depth_whatever_the_action(string key)
    {
        var masked = Mask("update_field", $$"""{ "fields": { "nested": [ { "{{key}}": "hunter2", "plain": "ok" } ] } }""");

        var item = masked.GetProperty("fields").GetProperty("nested")[0];
        Assert.Equal("***", item.GetProperty(key).GetString());
        Assert.Equal("ok", item.GetProperty("plain").GetString());
    }

    [Fact]
    public void Params_that_are_not_an_object_are_left_as_they_are()
    {
        var value = JsonDocument.Parse("[1, 2]").RootElement;

        Assert.Equal("[1, 2]", SecretMasker.Apply(value, "call_webhook")!.Value.GetRawText());
        Assert.Null(SecretMasker.Apply(null, "call_webhook"));
    }
}
