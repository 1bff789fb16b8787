using Automation.Engine.Templates;
using Azure.Data.Tables;

namespace Automation.Runtime.Communication.Email;

/// <summary>
/// A saved email: subject, HTML and plain text, each a Liquid template over the record (<c>{{ record.firstName }}</c>)
/// like a step's params. Saving makes a new immutable version; a send uses the current one and logs which.
/// </summary>
public sealed record EmailTemplate : IVersionedTemplate
{
    /// <summary><c>[a-z0-9-]{1,64}</c>; given on create, or made from the name.</summary>
    public string? Id { get; init; }

    public string Name { get; init; } = "";

    public string? Description { get; init; }

    public string? Subject { get; init; }

    public string? Html { get; init; }

    public string? Text { get; init; }

    public int Version { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Email templates, partition <c>email</c> of <c>{prefix}Templates</c>.</summary>
public sealed class EmailTemplateStore(CommunicationTables tables, TemplateRenderer renderer, TimeProvider time)
    : VersionedTemplateStore<EmailTemplate>(tables, time)
{
    protected override string Partition => "email";

    protected override string Kind => "Email template";

    /// <summary>Some content, and Liquid that parses.</summary>
    protected override void ValidateContent(EmailTemplate template, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(template.Html) && string.IsNullOrWhiteSpace(template.Text))
        {
            errors["html"] = ["A template needs html, text or both."];
        }

        foreach (var (field, value) in new[] { ("subject", template.Subject), ("html", template.Html), ("text", template.Text) })
        {
            if (value is not null && renderer.Check(value) is { } error)
            {
                errors[field] = [error.Message];
            }
        }
    }

    protected override EmailTemplate Stamp(EmailTemplate template, string id, int version, DateTimeOffset createdAt, DateTimeOffset updatedAt) =>
        template with { Id = id, Version = version, CreatedAt = createdAt, UpdatedAt = updatedAt };

    protected override void WriteContent(EmailTemplate template, TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(entity);
        entity["Description"] = template.Description;
        entity["Subject"] = template.Subject;
        entity["Html"] = template.Html;
        entity["Text"] = template.Text;
    }

    protected override EmailTemplate FromEntity(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return new()
        {
            Id = entity.GetString("TemplateId"),
            Name = entity.GetString("Name") ?? "",
            Description = entity.GetString("Description"),
            Subject = entity.GetString("Subject"),
            Html = entity.GetString("Html"),
            Text = entity.GetString("Text"),
            Version = entity.GetInt32("Version") ?? 1,
            CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = entity.GetDateTimeOffset("UpdatedAt") ?? default,
        };
    }
}
