using Automation.Engine.Templates;
using Azure.Data.Tables;

namespace Automation.Runtime.Communication;

/// <summary>
/// A saved text message: a body that is a Liquid template over the record, like a step's params. Saving makes a new
/// immutable version; a send uses the current one and logs which.
/// </summary>
public sealed record SmsTemplate : IVersionedTemplate
{
    /// <summary>The most Twilio takes in one message's body (it splits longer texts into segments of 153 or 67 characters).</summary>
    public const int MaxBodyLength = 1600;

    /// <summary><c>[a-z0-9-]{1,64}</c>; given on create, or made from the name.</summary>
    public string? Id { get; init; }

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public string? Body { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>SMS templates, partition <c>sms</c> of <c>{prefix}Templates</c>.</summary>
public sealed class SmsTemplateStore(CommunicationTables tables, TemplateRenderer renderer, TimeProvider time)
    : VersionedTemplateStore<SmsTemplate>(tables, time)
{
    protected override string Partition => "sms";

    protected override string Kind => "SMS template";

    /// <summary>A body that parses and fits in a message as written (a rendered body is checked again when sent).</summary>
    protected override void ValidateContent(SmsTemplate template, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(template.Body))
        {
            errors["body"] = ["A template needs a body."];
        }
        else if (template.Body.Length > SmsTemplate.MaxBodyLength)
        {
            errors["body"] = [$"The body has {template.Body.Length} characters; a text message takes at most {SmsTemplate.MaxBodyLength}."];
        }
        else if (renderer.Check(template.Body) is { } error)
        {
            errors["body"] = [error.Message];
        }
    }

    protected override SmsTemplate Stamp(SmsTemplate template, string id, int version, DateTimeOffset createdAt, DateTimeOffset updatedAt) =>
        template with { Id = id, Version = version, CreatedAt = createdAt, UpdatedAt = updatedAt };

    protected override void WriteContent(SmsTemplate template, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(entity);
        entity["Description"] = template.Description;
        entity["Body"] = template.Body;
    }

    protected override SmsTemplate FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new()
        {
            Id = entity.GetString("TemplateId"),
            Name = entity.GetString("Name") ?? "",
            Description = entity.GetString("Description"),
            Body = entity.GetString("Body"),
            Version = entity.GetInt32("Version") ?? 1,
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? default,
        };
    }
}
