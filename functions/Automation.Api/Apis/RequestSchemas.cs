using Automation.Engine.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Automation.Api.Apis;

/// <summary>
/// Request bodies as the OpenAPI document describes them. The handlers read the raw JSON themselves (so every error is
/// reported under its field path); these types only give the document the shapes they accept.
/// </summary>
public static class RequestSchemas
{
    /// <summary><c>POST /api/workflows/test-definition</c>: an unsaved definition and the event to judge it on.</summary>
    public sealed record TestDefinitionRequest(Workflow Workflow, CrmEvent Event);

    /// <summary><c>POST /api/workflows/{id}/test</c>: an event, or the id of a stored record of the workflow's module.</summary>
    public sealed record TestRequest(CrmEvent? Event, string? RecordId);

    public const string Json = "application/json";

    /// <summary>
    /// Describes a JSON request body of <typeparamref name="T"/> in the OpenAPI document only. <c>Accepts&lt;T&gt;</c>
    /// would also make routing answer a bare 415 to any other content type, before the handler can say which type it
    /// wants in a problem body.
    /// </summary>
    public static RouteHandlerBuilder DescribesJsonBody<T>(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { [Json] = new() { Schema = schema } },
            };
        });
}
