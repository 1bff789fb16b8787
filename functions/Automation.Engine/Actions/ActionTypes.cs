namespace Automation.Engine.Actions;

/// <summary>The action type names as they appear in a step's <c>action</c>.</summary>
public static class ActionTypes
{
    public const string SendEmail = "send_email";
    public const string SendSms = "send_sms";
    public const string InitiateCall = "initiate_call";
    public const string CallWebhook = "call_webhook";
    public const string SlackMessage = "slack_message";
    public const string NotifyTeam = "notify_team";
    public const string InAppNotification = "in_app_notification";
    public const string AssignOwner = "assign_owner";
    public const string MarkContact = "mark_contact";
    public const string UpdateField = "update_field";
    public const string ChangeStatus = "change_status";
    public const string MoveStage = "move_stage";
    public const string CreateTask = "create_task";
    public const string CreateCase = "create_case";
    public const string CreateOpportunity = "create_opportunity";
    public const string CreateRecord = "create_record";
    public const string AddNote = "add_note";
    public const string AttachDocument = "attach_document";
    public const string StartWorkflow = "start_workflow";
    public const string AddToSequence = "add_to_sequence";
}
