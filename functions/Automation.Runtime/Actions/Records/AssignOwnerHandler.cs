using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Actions;
using Automation.Engine.Conditions;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Runtime.Crm;
using Automation.Runtime.Teams;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Actions.Records;

/// <summary>
/// <c>assign_owner</c>: sets the owner field (<c>params.field</c>, default <c>ownerId</c>) by one of three strategies:
/// <list type="bullet">
/// <item><c>fixed</c>: <c>params.ownerId</c>;</item>
/// <item><c>round_robin</c>: the next member of <c>params.team</c> (configured in <c>Automation:Teams</c>), see <see cref="RoundRobin"/>;</item>
/// <item><c>rules</c>: the first of <c>params.rules</c> whose <c>when</c> (a condition, as in a workflow's conditions,
/// over the record the step sees) is true: <c>[{ "when": { "field": "record.territory", "op": "eq", "value": "EMEA" },
/// "ownerId": "u-emea" }, { "ownerId": "u-default" }]</c>. A rule without <c>when</c> always matches (a default).</item>
/// </list>
/// </summary>
public sealed class AssignOwnerHandler(RecordChanges changes, RoundRobin roundRobin, IOptions<TeamsOptions> teams, CrmOwners owners) : IActionHandler
{
    public const string DefaultField = "ownerId";

    public string Type => ActionTypes.AssignOwner;

    public Task<ActionResult> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return changes.UpdateAsync(context, async ct => await WithOwnerAsync(context, await PlanAsync(context, ct), ct), cancellationToken);
    }

    /// <summary>For a record from HubSpot or Salesforce, who the new owner is (<c>owner: { crm, id, name, email }</c>), as the CRM knows them.</summary>
    private async Task<FieldPlan> WithOwnerAsync(ActionContext context, FieldPlan plan, CancellationToken cancellationToken)
    {
        var record = context.Scope.Record is { ValueKind: JsonValueKind.Object } r ? JsonNode.Parse(r.GetRawText()) as JsonObject : null;
        if (plan.Set.Select(s => CrmValues.Text(s.Value)).FirstOrDefault() is not { } ownerId
            || await owners.OfRecordAsync(context.Run.Module, record, ownerId, cancellationToken) is not { } owner)
        {
            return plan;
        }

        var details = plan.Details?.DeepClone().AsObject() ?? [];
        details["owner"] = owner.ToJson();
        return plan with { Details = details };
    }

    private async Task<FieldPlan> PlanAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var p = context.Params;
        var field = RecordParams.Text(p, "field") ?? DefaultField;
        var strategy = RecordParams.RequiredText(p, "strategy");
        switch (strategy)
        {
            case "fixed":
                return new FieldPlan(
                    new JsonObject { [field] = RecordParams.RequiredText(p, "ownerId") },
                    new JsonObject { ["strategy"] = strategy });

            case "round_robin":
                var name = RecordParams.RequiredText(p, "team");
                var team = teams.Value.Find(name)
                    ?? throw new RecordActionException($"params.team: there is no team '{name}' (configure Automation:Teams:{name}:Members).");
                var members = team.Members.Where(m => !string.IsNullOrWhiteSpace(m.Id)).ToArray();
                if (members.Length == 0)
                {
                    throw new RecordActionException($"params.team: team '{name}' has no member with an Id.");
                }

                var turn = await roundRobin.NextAsync(name, members, RecordChanges.ChangeId(context), cancellationToken);
                return new FieldPlan(
                    new JsonObject { [field] = turn.Member.Id },
                    new JsonObject
                    {
                        ["strategy"] = strategy,
                        ["team"] = name,
                        ["member"] = new JsonObject { ["id"] = turn.Member.Id, ["name"] = turn.Member.Name, ["email"] = turn.Member.Email },
                        ["stripe"] = turn.Stripe,
                        ["turn"] = turn.Turn,
                    });

            case "rules":
                return Rules(p, field, context.Scope);

            default:
                throw new RecordActionException($"params.strategy: '{strategy}' is not one of fixed, round_robin, rules.");
        }
    }

    private static FieldPlan Rules(JsonElement p, string field, EvaluationScope scope)
    {
        if (!p.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Array || rules.GetArrayLength() == 0)
        {
            throw new RecordActionException("params.rules must be a list of rules: { \"when\": condition, \"ownerId\": \"...\" }.");
        }

        var index = 0;
        var falses = new List<string>();
        foreach (var rule in rules.EnumerateArray())
        {
            var at = $"params.rules[{index}]";
            if (rule.ValueKind != JsonValueKind.Object)
            {
                throw new RecordActionException($"{at} must be an object with when and ownerId.");
            }

            var owner = RecordParams.Text(rule, "ownerId") ?? throw new RecordActionException($"{at}.ownerId is required.");
            var trace = ConditionTrace.Empty;
            if (rule.TryGetProperty("when", out var when) && when.ValueKind != JsonValueKind.Null)
            {
                Condition condition;
                try
                {
                    condition = ConditionJsonConverter.FromElement(when);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    throw new RecordActionException($"{at}.when is not a valid condition: {e.Message}");
                }

                trace = ConditionEvaluator.Evaluate(condition, scope, $"{at}.when");
            }

            if (trace.Result)
            {
                return new FieldPlan(
                    new JsonObject { [field] = owner },
                    new JsonObject
                    {
                        ["strategy"] = "rules",
                        ["rule"] = index,
                        ["trace"] = JsonSerializer.SerializeToNode(trace, EngineJson.Options),
                    });
            }

            falses.AddRange(trace.Leaves.Where(l => !l.Result).Select(l => l.Path));
            index++;
        }

        throw new RecordActionException($"No assignment rule matched (false: {string.Join(", ", falses.Distinct(StringComparer.Ordinal))}) and no rule without a condition is there as the default.");
    }
}
