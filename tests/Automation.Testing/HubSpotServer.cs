using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Testing;

/// <summary>
/// HubSpot's CRM v3 objects API as documented, for what this service reads and writes: create (with associations),
/// update, search, and <c>POST /crm/v3/objects/{type}/batch/read</c>
/// with a private app's bearer token and <c>{ properties, inputs: [{ id }] }</c>, answering <c>{ status, results: [{ id,
/// properties, createdAt, updatedAt, archived }] }</c> (207 with <c>errors</c> when some ids are not found); 401 with
/// HubSpot's error body for another token. Objects are set by the test, as the portal's state.
/// </summary>
public sealed class HubSpotServer : LocalServer
{
    public const string AccessToken = "pat-na1-test-token";

    private readonly ConcurrentDictionary<(string Type, string Id), Dictionary<string, string?>> objects = new();
    private readonly ConcurrentDictionary<(string Type, string Id), List<(string ToId, int TypeId)>> associations = new();
    private readonly ConcurrentDictionary<string, (string First, string Last, string Email)> owners = new();
    private int nextId = 900_000;

    /// <summary>A user of the portal that records can be owned by (<c>GET /crm/v3/owners/{id}</c>).</summary>
    public void SetOwner(string id, string firstName, string lastName, string email) => owners[id] = (firstName, lastName, email);

    /// <summary>When set, the next create is made but its answer lost (a 502), as when a connection drops after HubSpot acted.</summary>
    public bool LoseNextCreateAnswer { get; set; }

    /// <summary>The objects of a type (<c>tasks</c>, <c>notes</c>, ...) with their properties.</summary>
    public IReadOnlyList<(string Id, Dictionary<string, string?> Properties)> Objects(string type) =>
        objects.Where(o => o.Key.Type == type).Select(o => (o.Key.Id, o.Value)).ToArray();

    /// <summary>The associations an object was created with: (the other object's id, association type id).</summary>
    public IReadOnlyList<(string ToId, int TypeId)> AssociationsOf(string type, string id) =>
        associations.TryGetValue((type, id), out var list) ? list : [];

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
        if (request.Header("Authorization") != "Bearer " + AccessToken)
        {
            return Error(401, "Authentication credentials not found.", "INVALID_AUTHENTICATION");
        }

        return (request.Method, parts) switch
        {
            ("POST", ["crm", "v3", "objects", var type, "batch", "read"]) => BatchRead(type, request),
            ("POST", ["crm", "v3", "objects", var type, "search"]) => Search(type, request),
            ("POST", ["crm", "v3", "objects", var type]) => Create(type, request),
            ("PATCH", ["crm", "v3", "objects", var type, var id]) => Update(type, id, request),
            ("GET", ["crm", "v3", "owners", var id]) => owners.TryGetValue(id, out var o)
                ? new Answer(200, new JsonObject
                {
                    ["id"] = id, ["email"] = o.Email, ["firstName"] = o.First, ["lastName"] = o.Last, ["userId"] = 9_100_000 + id.Length,
                    ["createdAt"] = "2026-01-01T00:00:00Z", ["updatedAt"] = "2026-01-01T00:00:00Z", ["archived"] = false,
                }.ToJsonString())
                : Error(404, $"Owner {id} not found", "OBJECT_NOT_FOUND"),
            _ => Error(404, "Unable to route request", "OBJECT_NOT_FOUND"),
        };
    }

    /// <summary><c>POST /crm/v3/objects/{type}</c> with <c>{ properties, associations }</c>: 201 with the new object.</summary>
    private Answer Create(string type, ReceivedRequest request)
    {
        var body = JsonNode.Parse(request.Body)!;
        var id = Interlocked.Increment(ref nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var properties = (body["properties"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>());
        properties["hs_createdate"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        objects[(type, id)] = properties;
        associations[(type, id)] = (body["associations"] as JsonArray ?? [])
            .Select(a => (a!["to"]!["id"]!.ToString(), a["types"]![0]!["associationTypeId"]!.GetValue<int>())).ToList();
        if (LoseNextCreateAnswer)
        {
            LoseNextCreateAnswer = false;
            return new Answer(502, "<html>Bad Gateway</html>", "text/html");
        }

        return new Answer(201, Shown(id, properties).ToJsonString());
    }

    /// <summary><c>PATCH /crm/v3/objects/{type}/{id}</c> with <c>{ properties }</c>: 200 with the object.</summary>
    private Answer Update(string type, string id, ReceivedRequest request)
    {
        if (!objects.TryGetValue((type, id), out var properties))
        {
            return Error(404, $"Object not found.  objectId are usually numeric.", "OBJECT_NOT_FOUND");
        }

        foreach (var (name, value) in JsonNode.Parse(request.Body)!["properties"] as JsonObject ?? [])
        {
            properties[name] = value?.GetValue<string>();
        }

        return new Answer(200, Shown(id, properties).ToJsonString());
    }

    /// <summary><c>POST /crm/v3/objects/{type}/search</c>: the filters of the first group, EQ and GTE on properties and <c>associations.{type}</c>.</summary>
    private Answer Search(string type, ReceivedRequest request)
    {
        var filters = JsonNode.Parse(request.Body)!["filterGroups"]![0]!["filters"] as JsonArray ?? [];
        var found = objects.Where(o => o.Key.Type == type).Where(o => filters.All(f =>
        {
            var name = f!["propertyName"]!.GetValue<string>();
            var value = f["value"]!.GetValue<string>();
            if (name.StartsWith("associations.", StringComparison.Ordinal))
            {
                return AssociationsOf(type, o.Key.Id).Any(a => a.ToId == value);
            }

            var actual = o.Value.GetValueOrDefault(name);
            return f["operator"]!.GetValue<string>() == "GTE"
                ? long.TryParse(actual, out var a) && a >= long.Parse(value, System.Globalization.CultureInfo.InvariantCulture)
                : actual == value;
        })).Select(o => (JsonNode?)Shown(o.Key.Id, o.Value)).ToArray();
        return new Answer(200, new JsonObject { ["total"] = found.Length, ["results"] = new JsonArray(found) }.ToJsonString());
    }

    private static JsonObject Shown(string id, Dictionary<string, string?> properties) => new()
    {
        ["id"] = id,
        ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        ["createdAt"] = "2026-12-06T09:00:00Z", ["updatedAt"] = "2026-12-06T09:00:00Z", ["archived"] = false,
    };

    private Answer BatchRead(string type, ReceivedRequest request)
    {

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
