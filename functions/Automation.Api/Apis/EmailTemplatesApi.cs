using System.Text.Json;
using Automation.Engine.Json;
using Automation.Api.Http;
using Automation.Runtime.Communication.Email;

namespace Automation.Api.Apis;

/// <summary>
/// Email templates: <c>{ "id"?, "name", "description"?, "subject"?, "html"?, "text"? }</c>, each text a Liquid template
/// over the record. Saving makes a new version; steps use the current one (<c>templateId</c>).
/// </summary>
public static class EmailTemplatesApi
{
    public static IEndpointRouteBuilder MapEmailTemplatesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/email-templates").WithTags("email templates").RequireAuthorization(ApiSetup.AdminPolicy);
        group.MapGet("/", async (EmailTemplateStore store, CancellationToken ct) => TypedResults.Ok(new { items = await store.ListAsync(ct) }));
        group.MapPost("/", Create);
        group.MapGet("/{id}", async (string id, int? version, EmailTemplateStore store, CancellationToken ct) =>
            await store.GetAsync(id, version, ct) is { } template
                ? TypedResults.Ok(template)
                : Problems.NotFound(version is null ? $"Email template '{id}' does not exist." : $"Email template '{id}' has no version {version}."));
        group.MapPut("/{id}", Replace);
        group.MapDelete("/{id}", async (string id, EmailTemplateStore store, CancellationToken ct) =>
            await store.DeleteAsync(id, ct) ? Results.NoContent() : Problems.NotFound($"Email template '{id}' does not exist."));
        group.MapGet("/{id}/versions", async (string id, EmailTemplateStore store, CancellationToken ct) =>
        {
            var versions = await store.ListVersionsAsync(id, ct);
            return versions.Count == 0 ? Problems.NotFound($"Email template '{id}' does not exist.") : TypedResults.Ok(versions);
        });
        return app;
    }

    private static async Task<IResult> Create(HttpContext context, EmailTemplateStore store, CancellationToken cancellationToken)
    {
        var (template, error) = await ReadAsync(context, store, checkId: true, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        return await store.CreateAsync(template!, cancellationToken) is { } saved
            ? TypedResults.Created($"/api/email-templates/{saved.Id}", saved)
            : Problems.Conflict($"An email template with id '{template!.Id}' exists already.");
    }

    private static async Task<IResult> Replace(string id, int? expectedVersion, HttpContext context, EmailTemplateStore store, CancellationToken cancellationToken)
    {
        var (template, error) = await ReadAsync(context, store, checkId: false, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        return (await store.ReplaceAsync(id, template!, expectedVersion, cancellationToken)).ToHttp();
    }

    private static async Task<(EmailTemplate? Template, IResult? Error)> ReadAsync(
        HttpContext context, EmailTemplateStore store, bool checkId, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return (null, body.Error);
        }

        if (body.Json.ValueKind != JsonValueKind.Object)
        {
            return (null, Problems.Field("$", "Send a template object: { \"name\", \"subject\", \"html\", \"text\" }."));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var property in body.Json.EnumerateObject())
        {
            var known = property.Name is "id" or "name" or "description" or "subject" or "html" or "text" or "version" or "createdAt" or "updatedAt";
            if (!known)
            {
                errors[property.Name] = [$"A template has no '{property.Name}'; it takes id, name, description, subject, html and text."];
            }
            else if (property.Name is not ("version" or "createdAt" or "updatedAt") && property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                errors[property.Name] = [$"'{property.Name}' must be text."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors, "The template has errors; each is listed under the field it concerns. Nothing was saved."));
        }

        var template = body.Json.Deserialize<EmailTemplate>(EngineJson.Options)! with { Version = 0 };
        foreach (var (field, messages) in store.Validate(template, checkId))
        {
            errors[field] = messages;
        }

        return errors.Count > 0
            ? (null, Problems.Validation(errors, "The template has errors; each is listed under the field it concerns. Nothing was saved."))
            : (template, null);
    }
}
