using static Automation.Engine.Tests.Validation.Definitions;

namespace Automation.Engine.Tests.Validation;

/// <summary>Step params against the action registry, with literal values (templates: <see cref="TemplateValidationTests"/>).</summary>
public class ParameterValidationTests
{
    [Theory]
    [InlineData("send_email", """{ "to": "a@example.com, Bob <bob@example.org>", "cc": ["c@example.com"], "subject": "Hi", "templateId": "tpl-1", "mode": "template" }""")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "text": "Plain", "mode": "personalized", "brandVoice": "warm", "sendWindow": { "start": "09:00", "end": "17:00" }, "attachments": [ { "name": "a.pdf", "url": "https://example.com/a.pdf" } ] }""")]
    [InlineData("send_sms", """{ "to": "+1 (415) 555-0123", "body": "Hi", "from": "+14155550100", "messagingServiceSid": "MG123" }""")]
    [InlineData("initiate_call", """{ "to": "+33 1 23 45 67 89", "say": "Hello" }""")]
    [InlineData("initiate_call", """{ "to": "+14155550123", "callFlowUrl": "https://example.com/twiml" }""")]
    [InlineData("call_webhook", """{ "url": "https://hooks.example.com/x", "method": "PUT", "headers": { "X-Id": "1" }, "body": { "a": [1, "b"] }, "timeoutSeconds": 30, "secret": "s3cret" }""")]
    [InlineData("slack_message", """{ "webhookUrl": "https://hooks.slack.com/services/T/B/X", "text": "New lead" }""")]
    [InlineData("slack_message", """{ "channel": "#sales", "botToken": "xoxb-1", "blocks": [ { "type": "section" } ] }""")]
    [InlineData("notify_team", """{ "team": "sales", "subject": "New lead", "body": "Look" }""")]
    [InlineData("in_app_notification", """{ "userId": "u1", "title": "New lead", "link": "https://crm.example.com/leads/1" }""")]
    [InlineData("assign_owner", """{ "strategy": "fixed", "ownerId": "u1" }""")]
    [InlineData("assign_owner", """{ "strategy": "round_robin", "team": "sales", "field": "salesRepId" }""")]
    [InlineData("assign_owner", """{ "strategy": "rules", "rules": [ { "ownerId": "u1" } ] }""")]
    [InlineData("mark_contact", """{ "flag": "doNotContact" }""")]
    [InlineData("mark_contact", """{ "flag": "custom", "field": "vip", "value": true }""")]
    [InlineData("update_field", """{ "fields": { "rating": "hot", "score": 90 } }""")]
    [InlineData("change_status", """{ "status": "qualified" }""")]
    [InlineData("move_stage", """{ "stage": "SQL", "pipeline": "sales" }""")]
    [InlineData("create_task", """{ "title": "Call", "dueInDays": "3" }""")]
    [InlineData("create_case", """{ "subject": "Broken", "priority": "high", "assignee": "u2" }""")]
    [InlineData("create_opportunity", """{ "name": "Renewal", "amount": 5000.5, "closeInDays": 30, "stage": "new", "ownerId": "u1" }""")]
    [InlineData("add_note", """{ "body": "Called, no answer." }""")]
    [InlineData("attach_document", """{ "name": "quote.pdf", "url": "https://files.example.com/q.pdf", "contentType": "application/pdf" }""")]
    [InlineData("start_workflow", """{ "workflowId": "wf-2" }""")]
    [InlineData("add_to_sequence", """{ "sequenceId": "seq-1" }""")]
    [InlineData("add_to_sequence", """{ "workflowId": "wf-3" }""")]
    public void Valid_params_pass(string action, string parameters)
    {
        AssertValid(WithAction(action, parameters));
    }

    [Theory]
    [InlineData("send_email", """{ "subject": "Hi", "body": "x" }""", "to")]
    [InlineData("call_webhook", """{ "method": "GET" }""", "url")]
    [InlineData("update_field", """{ "fields": {} }""", "fields")]
    [InlineData("change_status", """{ "status": null }""", "status")]
    [InlineData("start_workflow", """{ }""", "workflowId")]
    [InlineData("assign_owner", """{ "ownerId": "u1" }""", "strategy")]
    public void Required_params_must_be_present_and_not_empty(string action, string parameters, string name)
    {
        AssertOnlyError(WithAction(action, parameters), $"steps[0].params.{name}", $"'{name}' is required for {action}.");
    }

    [Theory]
    [InlineData("assign_owner", """{ "strategy": "fixed" }""", "ownerId", "strategy is fixed")]
    [InlineData("assign_owner", """{ "strategy": "round_robin" }""", "team", "strategy is round_robin")]
    [InlineData("assign_owner", """{ "strategy": "rules", "rules": [] }""", "rules", "strategy is rules")]
    [InlineData("mark_contact", """{ "flag": "custom" }""", "field", "flag is custom")]
    [InlineData("mark_contact", """{ "flag": "status" }""", "value", "flag is status")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "body": "x", "mode": "template" }""", "templateId", "mode is template")]
    public void Some_params_are_required_only_when_another_has_a_given_value(string action, string parameters, string name, string fragment)
    {
        AssertOnlyError(WithAction(action, parameters), $"steps[0].params.{name}", fragment);
    }

    [Theory]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi" }""", "needs a body, html, text or templateId")]
    [InlineData("initiate_call", """{ "to": "+14155550123" }""", "needs say or callFlowUrl")]
    [InlineData("slack_message", """{ "text": "x" }""", "needs webhookUrl, or a channel")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "  ", "body": "x" }""", "needs a subject, or a templateId")]
    [InlineData("slack_message", """{ "webhookUrl": "https://hooks.slack.com/x" }""", "needs text or blocks")]
    [InlineData("attach_document", """{ "name": "a.pdf" }""", "needs template or url")]
    [InlineData("add_to_sequence", """{ "sequenceId": "" }""", "needs sequenceId or workflowId")]
    public void One_of_several_alternatives_must_be_given(string action, string parameters, string fragment)
    {
        AssertOnlyError(WithAction(action, parameters), "steps[0].params", fragment);
    }

    [Fact]
    public void An_unknown_parameter_is_an_error_that_lists_the_known_ones()
    {
        AssertOnlyError(
            WithAction("send_sms", """{ "to": "+14155550123", "body": "Hi", "text": "oops" }"""),
            "steps[0].params.text",
            "send_sms has no parameter 'text'. Its parameters: to, body, mode, templateId, brandVoice, maxLength, from, messagingServiceSid, sendWindow.");
    }

    [Theory]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "method": "FETCH" }""", "method", "must be one of: GET, POST, PUT, PATCH, DELETE (not 'FETCH')")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "method": "post" }""", "method", "must be one of: GET, POST")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "body": "x", "via": "outlook" }""", "via", "must be one of: smtp, gmail, microsoft365 (not 'outlook')")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "body": "x", "mode": "auto" }""", "mode", "template, draft, personalized")]
    [InlineData("assign_owner", """{ "strategy": "random" }""", "strategy", "fixed, round_robin, rules")]
    [InlineData("mark_contact", """{ "flag": "{{ record.flag }}" }""", "flag", "doNotContact, emailOptOut, smsOptOut, verified, status, custom")]
    public void Choices_accept_only_their_allowed_values(string action, string parameters, string name, string fragment)
    {
        AssertOnlyError(WithAction(action, parameters), $"steps[0].params.{name}", fragment);
    }

    [Theory]
    [InlineData("send_email", """{ "to": "not-an-address", "subject": "Hi", "body": "x" }""", "to", "must be an email address")]
    [InlineData("send_email", """{ "to": "a@example.com, b@", "subject": "Hi", "body": "x" }""", "to", "must be an email address")]
    [InlineData("send_email", """{ "to": "a@example.com", "replyTo": "reply at example.com", "subject": "Hi", "body": "x" }""", "replyTo", "must be an email address")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "body": "x", "bcc": ["ok@example.com", "bad"] }""", "bcc[1]", "must be an email address")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "body": "x", "bcc": [42] }""", "bcc[0]", "must be text")]
    [InlineData("send_sms", """{ "to": "555", "body": "Hi" }""", "to", "must be a phone number")]
    [InlineData("send_sms", """{ "to": "call me", "body": "Hi" }""", "to", "must be a phone number")]
    [InlineData("send_sms", """{ "to": 14155550123, "body": "Hi" }""", "to", "must be a phone number, not a number")]
    [InlineData("call_webhook", """{ "url": "ftp://files.example.com/x" }""", "url", "must be an http or https address")]
    [InlineData("call_webhook", """{ "url": "/relative/path" }""", "url", "must be an http or https address")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "timeoutSeconds": "soon" }""", "timeoutSeconds", "must be a number")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "timeoutSeconds": 0 }""", "timeoutSeconds", "must be from 1 to 60")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "timeoutSeconds": 600 }""", "timeoutSeconds", "must be from 1 to 60")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "headers": "X-Id: 1" }""", "headers", "must be an object, not text")]
    [InlineData("call_webhook", """{ "url": "https://x.example.com", "body": [1] }""", "body", "must be an object, not a list")]
    [InlineData("create_task", """{ "title": "Call", "dueInDays": -2 }""", "dueInDays", "must be from 0 to 3650")]
    [InlineData("create_task", """{ "title": "Call", "dueInDays": true }""", "dueInDays", "must be a number, not true/false")]
    [InlineData("create_opportunity", """{ "name": "x", "amount": -1 }""", "amount", "must be 0 or more")]
    [InlineData("create_task", """{ "title": { "text": "Call" } }""", "title", "must be text, not an object")]
    [InlineData("update_field", """{ "fields": "rating=hot" }""", "fields", "must be an object, not text")]
    [InlineData("update_field", """{ "fields": "{{ record.fields }}" }""", "fields", "must be an object, not text")]
    [InlineData("slack_message", """{ "webhookUrl": "https://hooks.slack.com/x", "blocks": { "type": "section" } }""", "blocks", "must be a list")]
    [InlineData("in_app_notification", """{ "userId": "u1", "title": "x", "link": "crm/leads/1" }""", "link", "must be an http or https address")]
    public void Literal_values_must_have_the_parameter_type(string action, string parameters, string name, string fragment)
    {
        AssertOnlyError(WithAction(action, parameters), $"steps[0].params.{name}", fragment);
    }

    [Fact]
    public void A_parameter_set_to_null_counts_as_left_out()
    {
        AssertValid(WithAction("send_sms", """{ "to": "+14155550123", "body": "Hi", "from": null }"""));
    }

    [Fact]
    public void Every_mistake_in_one_params_object_is_reported()
    {
        var result = Validate(WithAction("call_webhook", """{ "method": "FETCH", "timeoutSeconds": 0, "retries": 3 }"""));

        Assert.Equal(
            new[] { "steps[0].params.method", "steps[0].params.timeoutSeconds", "steps[0].params.retries", "steps[0].params.url" }.Order(),
            result.Errors.Keys.Order());
    }
}

/// <summary>Send windows on communication steps, checked where written literally.</summary>
public class SendWindowValidationTests
{
    [Theory]
    [InlineData("""{ "days": ["mon", "someday"] }""", "steps[0].params.sendWindow.days[1]", "is not a day")]
    [InlineData("""{ "start": "9am", "end": "17:00" }""", "steps[0].params.sendWindow.start", "time of day")]
    [InlineData("""{ "timeZone": "Moon/Base" }""", "steps[0].params.sendWindow.timeZone", "not a known time zone")]
    [InlineData("""{ "start": "{{ record.x ", "end": "17:00" }""", "steps[0].params.sendWindow.start", "")]
    public void A_bad_window_is_an_error_at_its_field(string window, string path, string fragment)
    {
        AssertOnlyError(WithAction("send_sms", $$"""{ "to": "+14155550123", "body": "Hi", "sendWindow": {{window}} }"""), path, fragment);
    }

    [Theory]
    [InlineData("send_sms", """{ "to": "+14155550123", "body": "Hi", "sendWindow": { "start": "{{ record.from }}", "end": "17:00", "timeZone": "{{ record.timeZone }}" } }""")]
    [InlineData("initiate_call", """{ "to": "+14155550123", "say": "Hi", "sendWindow": { "days": ["sat", "Sunday"], "timeZone": "record.timeZone", "fallbackTimeZone": "Europe/Paris" } }""")]
    [InlineData("send_email", """{ "to": "a@example.com", "subject": "Hi", "body": "x", "mode": "draft", "approvalTimeoutHours": 48, "onApprovalTimeout": "fail" }""")]
    [InlineData("send_email", """{ "to": "{{ record.email }}", "subject": "Hi", "body": "x", "via": "gmail" }""")]
    [InlineData("send_email", """{ "to": "a@example.com", "templateId": "welcome", "track": false }""")]
    public void Good_windows_and_draft_settings_pass(string action, string parameters)
    {
        AssertValid(WithAction(action, parameters));
    }

    [Fact]
    public void A_send_window_must_be_an_object()
    {
        AssertOnlyError(WithAction("send_sms", """{ "to": "+14155550123", "body": "Hi", "sendWindow": "09:00-17:00" }"""), "steps[0].params.sendWindow", "must be an object");
    }
}
