using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Testing;

/// <summary>
/// Salesforce as documented for a connected app using the OAuth 2.0 client credentials flow and the REST API:
/// <c>POST /services/oauth2/token</c> (form: grant_type, client_id, client_secret) answers <c>{ access_token, instance_url,
/// token_type }</c> or 400 <c>{ error, error_description }</c>; <c>/services/data/v{n}/sobjects/{type}</c> creates (201
/// <c>{ id, success, errors }</c>), <c>.../sobjects/{type}/{id}</c> updates (PATCH, 204); a token it no longer knows is
/// answered 401 <c>[{ message, errorCode: "INVALID_SESSION_ID" }]</c>. <see cref="ExpireSessions"/> ends the issued tokens.
/// </summary>
public sealed class SalesforceServer : LocalServer
{
    public const string ClientId = "3MVG9test.consumer.key";
    public const string ClientSecret = "consumer-secret";

    private readonly ConcurrentDictionary<string, bool> sessions = new();
    private readonly ConcurrentDictionary<(string Type, string Id), JsonObject> records = new();
    private int next;

    public static async Task<SalesforceServer> StartAsync()
    {
        var server = new SalesforceServer();
        await server.ListenAsync();
        return server;
    }

    public int TokensIssued { get; private set; }

    /// <summary>Every token issued so far stops working, as when the session times out.</summary>
    public void ExpireSessions() => sessions.Clear();

    public void Set(string type, string id, JsonObject fields) => records[(type, id)] = fields;

    public IReadOnlyList<(string Id, JsonObject Fields)> Records(string type) =>
        records.Where(r => r.Key.Type == type).Select(r => (r.Key.Id, r.Value)).ToArray();

    protected override Answer Respond(ReceivedRequest request)
    {
        if (request.Method == "POST" && request.Path == "/services/oauth2/token")
        {
            return Token(request);
        }

        var auth = request.Header("Authorization");
        if (auth is null || !auth.StartsWith("Bearer ", StringComparison.Ordinal) || !sessions.ContainsKey(auth[7..]))
        {
            return Errors(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }

        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (request.Method, parts) switch
        {
            ("POST", ["services", "data", _, "sobjects", var type]) => Create(type, request),
            ("PATCH", ["services", "data", _, "sobjects", var type, var id]) => Update(type, id, request),
            _ => Errors(404, "NOT_FOUND", "The requested resource does not exist"),
        };
    }

    private Answer Token(ReceivedRequest request)
    {
        var form = request.Body.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p.Length > 1 ? p[1].Replace('+', ' ') : ""));
        if (form.GetValueOrDefault("grant_type") != "client_credentials" || form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret)
        {
            return new Answer(400, """{"error":"invalid_client","error_description":"invalid client credentials"}""");
        }

        var token = "00D5g000004XyZa!" + Guid.NewGuid().ToString("N");
        sessions[token] = true;
        TokensIssued++;
        return new Answer(200, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["access_token"] = token, ["instance_url"] = BaseUrl, ["token_type"] = "Bearer", ["scope"] = "api",
            ["issued_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            ["id"] = BaseUrl + "/id/00D5g000004XyZaEAK/0055g00000IntEgAAB", ["signature"] = "c2lnbmF0dXJl",
        }));
    }

    private Answer Create(string type, ReceivedRequest request)
    {
        var fields = JsonNode.Parse(request.Body) as JsonObject ?? [];
        if (type == "Task" && fields["Subject"] is null)
        {
            return Errors(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Subject]");
        }

        var prefix = type switch { "Task" => "00T", "Note" => "002", "Opportunity" => "006", "Case" => "500", _ => "a00" };
        var id = prefix + "5g00000" + Interlocked.Increment(ref next).ToString("D5", CultureInfo.InvariantCulture) + "AAA";
        records[(type, id)] = fields;
        return new Answer(201, JsonSerializer.Serialize(new { id, success = true, errors = Array.Empty<object>() }));
    }

    private Answer Update(string type, string id, ReceivedRequest request)
    {
        if (!records.TryGetValue((type, id), out var fields))
        {
            return Errors(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + id);
        }

        foreach (var (name, value) in JsonNode.Parse(request.Body) as JsonObject ?? [])
        {
            fields[name] = value?.DeepClone();
        }

        return new Answer(204, "");
    }

    private static Answer Errors(int status, string code, string message) =>
        new(status, JsonSerializer.Serialize(new[] { new { message, errorCode = code } }));
}
