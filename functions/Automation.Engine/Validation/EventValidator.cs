using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Engine.Model;

namespace Automation.Engine.Validation;

/// <summary>
/// Checks an incoming event's JSON and builds the <see cref="CrmEvent"/>. Every error at once, keyed by
/// JSON path under <c>basePath</c> (<c>[3].recordId</c>, <c>event.type</c>). Callers from outside cannot set
/// <see cref="CrmEvent.Causation"/>: only Automation's own actions cause events.
/// </summary>
public static partial class EventValidator
{
    public const int MaxIdLength = 200;

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();

    /// <param name="element">The event object.</param>
    /// <param name="basePath">Prefix of error paths; empty for a single event.</param>
    /// <param name="now">Used when <c>occurredAt</c> is absent.</param>
    /// <param name="requireId">Intake requires ids (idempotency); a dry run does not.</param>
    public static EventValidationResult Validate(JsonElement element, string basePath, DateTimeOffset now, bool requireId = true)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            var path = basePath.Length == 0 ? field : $"{basePath}.{field}";
            if (!errors.TryGetValue(path, out var list))
            {
                errors[path] = list = [];
            }

            list.Add(message);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return new EventValidationResult(
                new Dictionary<string, string[]> { [basePath.Length == 0 ? "$" : basePath] = ["An event must be a JSON object."] },
                null);
        }

        var id = Text(element, "id");
        if (id is null)
        {
            if (requireId)
            {
                Add("id", "Required: a unique id for the event, so that a repeated delivery is recognised as a duplicate.");
            }
        }
        else if (id.Length > MaxIdLength)
        {
            Add("id", $"The id must be at most {MaxIdLength} characters.");
        }

        var type = Text(element, "type");
        if (type is null)
        {
            Add("type", "Required: the event type, e.g. 'record.created' or 'invoice.paid'.");
        }
        else if (!TypePattern().IsMatch(type))
        {
            Add("type", "The type must be lowercase words separated by dots, e.g. 'record.updated'.");
        }

        var module = Text(element, "module");
        if (module is null)
        {
            Add("module", "Required: the CRM module of the record, e.g. 'lead'.");
        }

        var recordId = Text(element, "recordId");
        if (recordId is null)
        {
            Add("recordId", "Required: the id of the record the event is about.");
        }

        var occurredAt = now;
        if (element.TryGetProperty("occurredAt", out var when) && when.ValueKind != JsonValueKind.Null)
        {
            if (when.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(when.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out occurredAt))
            {
                Add("occurredAt", "Must be an ISO 8601 date-time, e.g. '2026-11-23T09:30:00Z'.");
            }
        }

        JsonElement? record = ObjectOrNull(element, "record", Add);
        JsonElement? previous = ObjectOrNull(element, "previous", Add);
        JsonElement? data = element.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d.Clone() : null;

        if (type == EventTypes.Custom && (data is not { ValueKind: JsonValueKind.Object } obj
            || !obj.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String))
        {
            Add("data.name", "A custom event ('type': 'event') needs its name in data.name.");
        }

        if (errors.Count > 0)
        {
            return new EventValidationResult(errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), null);
        }

        return new EventValidationResult(
            new Dictionary<string, string[]>(),
            new CrmEvent
            {
                Id = id ?? string.Empty,
                Type = type!,
                Module = module!,
                RecordId = recordId!,
                OccurredAt = occurredAt.ToUniversalTime(),
                Record = record,
                Previous = previous,
                Data = data,
            });
    }

    /// <summary>A non-empty string, or a number given as the id (CRMs often send numeric ids).</summary>
    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
    }

    private static JsonElement? ObjectOrNull(JsonElement element, string name, Action<string, string> add)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            add(name, $"'{name}' must be an object of the record's fields.");
            return null;
        }

        return value.Clone();
    }
}

public sealed record EventValidationResult(IReadOnlyDictionary<string, string[]> Errors, CrmEvent? Event)
{
    public bool Valid => Event is not null;
}
