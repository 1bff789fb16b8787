using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Testing;

/// <summary>
/// HubSpot's CRM v3 objects API as documented, for what this service reads: <c>POST /crm/v3/objects/{type}/batch/read</c>
/// with a private app's bearer token and <c>{ properties, inputs: [{ id }] }</c>, answering <c>{ status, results: [{ id,
/// properties, createdAt, updatedAt, archived }] }</c> (207 with <c>errors</c> when some ids are not found); 401 with
/// HubSpot's error body for another token. Objects are set by the test, as the portal's state.
/// </summary>
public sealed class HubSpotServer : LocalServer
{
    public const string AccessToken = "pat-na1-test-token";

    private readonly ConcurrentDictionary<(string Type, string Id), Dictionary<string, string?>> objects = new();

    public static async Task<HubSpotServer> StartAsync()
    {
        var server = new HubSpotServer();
        await server.ListenAsync();
        return server;
    }

    /// <summary>Sets an object's properties (type as the API names it: <c>deals</c>, <c>contacts</c>, ...).</summary>
    public void Set(string type, string id, Dictionary<string, string?> properties) => objects[(type, id)] = properties;

    protected override Answer Respond(ReceivedRequest request)
    {
        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method != "POST" || parts is not ["crm", "v3", "objects", var type, "batch", "read"])
        {
            return Error(404, "Unable to route request", "OBJECT_NOT_FOUND");
        }

        if (request.Header("Authorization") != "Bearer " + AccessToken)
        {
            return Error(401, "Authentication credentials not found.", "INVALID_AUTHENTICATION");
        }

        var body = JsonNode.Parse(request.Body)!;
        var wanted = (body["properties"] as JsonArray ?? []).Select(p => p!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var results = new JsonArray();
        var missing = new List<string>();
        foreach (var id in (body["inputs"] as JsonArray ?? []).Select(i => i!["id"]!.GetValue<string>()))
        {
            if (!objects.TryGetValue((type, id), out var props))
            {
                missing.Add(id);
                continue;
            }

            var shown = new JsonObject { ["hs_object_id"] = id };
            foreach (var (name, value) in props.Where(p => wanted.Contains(p.Key)))
            {
                shown[name] = value;
            }

            results.Add(new JsonObject { ["id"] = id, ["properties"] = shown, ["createdAt"] = "2026-12-01T09:00:00Z", ["updatedAt"] = "2026-12-06T09:00:00Z", ["archived"] = false });
        }

        var answer = new JsonObject { ["status"] = "COMPLETE", ["results"] = results, ["startedAt"] = "2026-12-06T09:00:00Z", ["completedAt"] = "2026-12-06T09:00:01Z" };
        if (missing.Count > 0)
        {
            answer["numErrors"] = 1;
            answer["errors"] = new JsonArray(new JsonObject
            {
                ["status"] = "error", ["category"] = "OBJECT_NOT_FOUND", ["message"] = "Could not get some objects, they may be deleted or not exist.",
                ["context"] = new JsonObject { ["ids"] = new JsonArray(missing.Select(m => (JsonNode?)m).ToArray()) },
            });
        }

        return new Answer(missing.Count > 0 ? 207 : 200, answer.ToJsonString());
    }

    public static Answer Error(int status, string message, string category) =>
        new(status, JsonSerializer.Serialize(new { status = "error", message, correlationId = Guid.NewGuid(), category }));
}
