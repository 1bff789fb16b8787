using System.Text.Json;
using Automation.Engine.Json;
using Automation.Api.Http;
using Automation.Runtime.Communication;
using Automation.Runtime.Communication.Email;

namespace Automation.Api.Apis;

/// <summary>
/// Saved message templates, each text a Liquid template over the record; saving makes a new version and steps use the
/// current one (<c>templateId</c>):
/// <list type="bullet">
/// <item><c>/api/email-templates</c>: <c>{ "id"?, "name", "description"?, "subject"?, "html"?, "text"? }</c>;</item>
/// <item><c>/api/sms-templates</c>: <c>{ "id"?, "name", "description"?, "body" }</c>.</item>
/// </list>
/// </summary>
public static class TemplatesApi
{
    public static IEndpointRouteBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        Map<EmailTemplate, EmailTemplateStore>(app, "/api/email-templates", "email templates", "Email template", ["subject", "html", "text"]);
        Map<SmsTemplate, SmsTemplateStore>(app, "/api/sms-templates", "SMS templates", "SMS template", ["body"]);
        return app;
    }

    private static void Map<T, TStore>(IEndpointRouteBuilder app, string path, string tag, string kind, string[] content)
        where T : class, IVersionedTemplate
        where TStore : VersionedTemplateStore<T>
    {
        var endpoints = new TemplateEndpoints<T, TStore>(path, kind, content);
        var group = app.MapGroup(path).WithTags(tag).RequireAuthorization(ApiSetup.AdminPolicy);
        group.MapGet("/", TemplateEndpoints<T, TStore>.ListAsync);
        group.MapPost("/", endpoints.CreateAsync);
        group.MapGet("/{id}", endpoints.GetAsync);
        group.MapPut("/{id}", endpoints.ReplaceAsync);
        group.MapDelete("/{id}", endpoints.DeleteAsync);
        group.MapGet("/{id}/versions", endpoints.VersionsAsync);
    }

    /// <summary>The handlers of one kind of template (a class rather than lambdas: the route analyzer fails on generic lambdas).</summary>
    private sealed class TemplateEndpoints<T, TStore>(string path, string kind, string[] content)
        where T : class, IVersionedTemplate
        where TStore : VersionedTemplateStore<T>
    {
        public static async Task<IResult> ListAsync(HttpContext context, CancellationToken ct) => TypedResults.Ok(new { items = await Store(context).ListAsync(ct) });

        public async Task<IResult> CreateAsync(HttpContext context, CancellationToken ct)
        {
            var store = Store(context);
            var (template, error) = await ReadAsync(context, store, content, checkId: true, ct);
            if (error is not null)
            {
                return error;
            }

            return await store.CreateAsync(template!, ct) is { } saved
                ? TypedResults.Created($"{path}/{saved.Id}", saved)
                : Problems.Conflict($"{kind} '{template!.Id}' exists already.");
        }

        public async Task<IResult> GetAsync(string id, int? version, HttpContext context, CancellationToken ct) =>
            await Store(context).GetAsync(id, version, ct) is { } template
                ? TypedResults.Ok(template)
                : Problems.NotFound(version is null ? $"{kind} '{id}' does not exist." : $"{kind} '{id}' has no version {version}.");

        public async Task<IResult> ReplaceAsync(string id, int? expectedVersion, HttpContext context, CancellationToken ct)
        {
            var store = Store(context);
            var (template, error) = await ReadAsync(context, store, content, checkId: false, ct);
            return error ?? (await store.ReplaceAsync(id, template!, expectedVersion, ct)).ToHttp();
        }

        public async Task<IResult> DeleteAsync(string id, HttpContext context, CancellationToken ct) =>
            await Store(context).DeleteAsync(id, ct) ? Results.NoContent() : Problems.NotFound($"{kind} '{id}' does not exist.");

        public async Task<IResult> VersionsAsync(string id, HttpContext context, CancellationToken ct)
        {
            var versions = await Store(context).ListVersionsAsync(id, ct);
            return versions.Count == 0 ? Problems.NotFound($"{kind} '{id}' does not exist.") : TypedResults.Ok(versions);
        }

        private static TStore Store(HttpContext context) => context.RequestServices.GetRequiredService<TStore>();
    }

    private static async Task<(T? Template, IResult? Error)> ReadAsync<T>(
        HttpContext context, VersionedTemplateStore<T> store, string[] content, bool checkId, CancellationToken cancellationToken)
        where T : class, IVersionedTemplate
    {
        var body = await JsonBody.ReadAsync(context, cancellationToken);
        if (body.Error is not null)
        {
            return (null, body.Error);
        }

        string[] fields = ["id", "name", "description", .. content];
        if (body.Json.ValueKind != JsonValueKind.Object)
        {
            return (null, Problems.Field("$", $"Send a template object: {{ {string.Join(", ", fields.Skip(1).Select(f => $"\"{f}\""))} }}."));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var property in body.Json.EnumerateObject())
        {
            var stamped = property.Name is "version" or "createdAt" or "updatedAt";
            if (!stamped && !fields.Contains(property.Name, StringComparer.Ordinal))
            {
                errors[property.Name] = [$"A template has no '{property.Name}'; it takes {string.Join(", ", fields[..^1])} and {fields[^1]}."];
            }
            else if (!stamped && property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                errors[property.Name] = [$"'{property.Name}' must be text."];
            }
        }

        if (errors.Count > 0)
        {
            return (null, Problems.Validation(errors, "The template has errors; each is listed under the field it concerns. Nothing was saved."));
        }

        var template = body.Json.Deserialize<T>(EngineJson.Options)!;
        foreach (var (field, messages) in store.Validate(template, checkId))
        {
            errors[field] = messages;
        }

        return errors.Count > 0
            ? (null, Problems.Validation(errors, "The template has errors; each is listed under the field it concerns. Nothing was saved."))
            : (template, null);
    }
}
