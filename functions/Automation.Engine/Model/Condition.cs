using System.Text.Json;

namespace Automation.Engine.Model;

/// <summary>
/// A condition tree: <c>{ "all": [...] }</c>, <c>{ "any": [...] }</c>, <c>{ "not": c }</c> or a leaf
/// <c>{ "field": "record.amount", "op": "gt", "value": 50000 }</c>. Serialized by
/// <see cref="Json.ConditionJsonConverter"/> in exactly that shape.
/// </summary>
public abstract record Condition;

public sealed record AllCondition(IReadOnlyList<Condition> All) : Condition;

public sealed record AnyCondition(IReadOnlyList<Condition> Any) : Condition;

public sealed record NotCondition(Condition Not) : Condition;

/// <summary>A leaf: a path under <c>record.*</c>, <c>previous.*</c>, <c>event.*</c> or <c>run.*</c>, an operator and a value.</summary>
public sealed record LeafCondition(string Field, ConditionOperator Op, JsonElement? Value = null, bool CaseSensitive = false) : Condition;

public enum ConditionOperator
{
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    Between,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    In,
    NotIn,
    Exists,
    NotExists,
    IsEmpty,
    IsNotEmpty,
    Changed,
    ChangedTo,
    ChangedFrom,
    Before,
    After,
}
