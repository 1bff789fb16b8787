using System.Net;
using Automation.Engine.Actions;
using Automation.Engine.Model;

namespace Automation.Host.Tests;

/// <summary><c>GET /api/vocabulary</c> (the editor's one source of triggers, operators, retries and modules) and <c>GET /api/records</c>.</summary>
public sealed class VocabularyAndRecordsApiTests(HostFactory host) : IClassFixture<HostFactory>
{
    [Fact]
    public async Task The_vocabulary_has_words_for_every_trigger_and_operator_of_the_engine()
    {
        var vocabulary = await (await host.Admin().GetAsync("/api/vocabulary")).ReadAsync();

        var triggers = vocabulary.GetProperty("triggers").EnumerateArray().ToDictionary(t => t.GetProperty("type").GetString()!);
        Assert.Equal(TriggerTypes.All.Order(StringComparer.Ordinal), triggers.Keys.Order(StringComparer.Ordinal));
        Assert.All(triggers.Values, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("description").GetString())));
        var dateReached = triggers[TriggerTypes.DateReached].GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["field", "offset", "timeZone"], dateReached);

        var operators = vocabulary.GetProperty("operators").EnumerateArray().ToArray();
        Assert.Equal(Enum.GetValues<ConditionOperator>().Length, operators.Length);
        // Words, not the JSON name an operator without words falls back to (notContains, changedTo).
        Assert.All(operators, o => Assert.DoesNotMatch("[A-Z]", o.GetProperty("label").GetString()!));

        Assert.Equal(
            ["maxAttempts", "initialIntervalSeconds", "backoffCoefficient", "maxIntervalSeconds"],
            vocabulary.GetProperty("retry").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(ActionRegistry.All.Count, vocabulary.GetProperty("actions").GetArrayLength());
    }

    [Fact]
    public async Task A_module_in_use_by_a_workflow_is_offered_beside_the_common_ones()
    {
        var module = "warranty" + Guid.NewGuid().ToString("N")[..6];
        var created = await host.Admin().PostAsync("/api/workflows", Json.Body($$"""
            { "name": "Claims", "module": "{{module}}", "trigger": { "type": "record.created" },
              "steps": [ { "id": "n", "action": "add_note", "params": { "body": "x" } } ] }
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var modules = (await (await host.Admin().GetAsync("/api/vocabulary")).ReadAsync()).GetProperty("modules").EnumerateArray().Select(m => m.GetString()).ToArray();
        Assert.Contains("lead", modules);
        Assert.Contains(module, modules);
    }

    [Fact]
    public async Task Records_are_listed_by_module_and_found_by_a_text_in_their_id_or_fields()
    {
        var module = "shop" + Guid.NewGuid().ToString("N")[..6];
        foreach (var (id, name, email) in new[] { ("S-1", "Ada Lovelace", "ada@example.com"), ("S-2", "Grace Hopper", "grace@example.com"), ("T-9", "Alan Turing", "alan@example.com") })
        {
            var posted = await host.Admin().PostAsync("/api/events", Json.Body($$"""
                { "id": "{{Guid.NewGuid():N}}", "type": "record.created", "module": "{{module}}", "recordId": "{{id}}",
                  "record": { "name": "{{name}}", "contact": { "email": "{{email}}" } } }
                """));
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }

        async Task<string[]> IdsAsync(string query) =>
            (await (await host.Admin().GetAsync("/api/records?" + query)).ReadAsync()).GetProperty("items").EnumerateArray()
                .Select(r => r.GetProperty("recordId").GetString()!).Order(StringComparer.Ordinal).ToArray();

        var all = await Automation.Testing.Eventually.GetAsync(() => IdsAsync($"module={module}"), ids => ids.Length == 3, "three stored records");
        Assert.Equal(["S-1", "S-2", "T-9"], all);
        Assert.Equal(["S-2"], await IdsAsync($"module={module.ToUpperInvariant()}&search=GRACE@"));
        Assert.Equal(["S-1", "S-2"], await IdsAsync($"module={module}&search=s-"));
        Assert.Empty(await IdsAsync($"module={module}&search=nobody"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync("/api/records")).StatusCode);
    }
}
