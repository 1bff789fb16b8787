using System.Text.Json;
using Fluid.Values;

namespace Automation.Engine.Templates;

/// <summary>
/// Exposes JSON to templates. Fluid 2.41 renders a <see cref="JsonElement"/> as its raw text and cannot reach
/// its properties, so values are wrapped: objects lazily (a record may have hundreds of fields and a template
/// reads three), arrays and scalars as Fluid's own values.
/// </summary>
public static class JsonFluidValues
{
    public static FluidValue From(JsonElement? element) => element is { } e ? From(e) : NilValue.Instance;

    public static FluidValue From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new DictionaryValue(new JsonObjectIndexable(element)),
        JsonValueKind.Array => new ArrayValue(element.EnumerateArray().Select(From).ToArray()),
        JsonValueKind.String => new StringValue(element.GetString()!),
        JsonValueKind.Number => element.TryGetDecimal(out var number)
            ? NumberValue.Create(number)
            : new StringValue(element.GetRawText()),
        JsonValueKind.True => BooleanValue.True,
        JsonValueKind.False => BooleanValue.False,
        _ => NilValue.Instance,
    };

    // Field names match exactly first, then in any case, like condition paths (Conditions.FieldPath).
    private sealed class JsonObjectIndexable(JsonElement obj) : IFluidIndexable
    {
        public int Count => obj.EnumerateObject().Count();

        public IEnumerable<string> Keys => obj.EnumerateObject().Select(p => p.Name);

        public bool TryGetValue(string name, out FluidValue value)
        {
            if (obj.TryGetProperty(name, out var exact))
            {
                value = From(exact);
                return true;
            }

            foreach (var property in obj.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = From(property.Value);
                    return true;
                }
            }

            value = NilValue.Instance;
            return false;
        }
    }
}
