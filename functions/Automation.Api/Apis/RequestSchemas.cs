using Automation.Engine.Model;

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
}
