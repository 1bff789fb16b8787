using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Engine.Json;
using Automation.Engine.Model;
using Automation.Engine.Triggers;
using Microsoft.Extensions.Options;

namespace Automation.Runtime.Crm.HubSpot;

/// <summary>What a HubSpot webhook batch became: our events, the items left aside (and why), or why it must be sent again.</summary>
public sealed record HubSpotBatch(IReadOnlyList<CrmEvent> Events, IReadOnlyList<string> Ignored, string? Error);

/// <summary>
/// Turns a batch of HubSpot webhook items (<c>{ eventId, subscriptionType, objectId, portalId, occurredAt, propertyName,
/// propertyValue, changeSource, ... }</c>) into our events: <c>{type}.creation</c> → <c>record.created</c>,
/// <c>{type}.propertyChange</c> → <c>record.updated</c>, <c>{type}.deletion</c> → <c>record.deleted</c>, for contacts,
/// companies, deals and tickets. The event id is <c>hubspot-{eventId}</c>, so HubSpot's retry of an item is a duplicate.
/// A webhook carries only what changed, so the whole record is read back from HubSpot (one batch read per object type)
/// and mapped to our fields (<see cref="HubSpotObjectMap"/>); conditions see the record as it is, and <c>previous</c>
/// comes from the record as stored. HubSpot unreachable is an error: HubSpot then sends the batch again.
/// </summary>
public sealed class HubSpotWebhooks(HubSpotClient client, IOptions<HubSpotOptions> options)
{
    public async Task<HubSpotBatch> TranslateAsync(JsonElement batch, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var items = new List<Item>();
        var ignored = new List<string>();
        foreach (var (json, index) in batch.EnumerateArray().Select((j, i) => (j, i)))
        {
            var subscription = Text(json, "subscriptionType") ?? "";
            var dot = subscription.IndexOf('.', StringComparison.Ordinal);
            var objectType = dot > 0 ? subscription[..dot] : "";
            var change = dot > 0 ? subscription[(dot + 1)..] : "";
            var type = change switch
            {
                "creation" => EventTypes.RecordCreated,
                "propertyChange" => EventTypes.RecordUpdated,
                "deletion" => EventTypes.RecordDeleted,
                _ => null,
            };
            var map = o.MapOf(objectType);
            var objectId = Text(json, "objectId");
            var eventId = Text(json, "eventId");
            var portal = Text(json, "portalId");
            string? why = type is null || map is null ? $"subscription '{subscription}' is not one this service maps"
                : objectId is null || eventId is null ? "it has no objectId or eventId"
                : o.PortalId is { } mine && portal != mine.ToString(CultureInfo.InvariantCulture) ? $"it is from portal {portal}, not {mine}"
                : null;
            if (why is not null)
            {
                ignored.Add(string.Create(CultureInfo.InvariantCulture, $"[{index}]: {why}."));
                continue;
            }

            items.Add(new Item(index, json, objectType.ToLowerInvariant(), map!, type!, objectId!, eventId!));
        }

        var records = new Dictionary<(string, string), JsonObject>();
        foreach (var group in items.Where(i => i.Type != EventTypes.RecordDeleted).GroupBy(i => i.ObjectType))
        {
            foreach (var chunk in group.Select(i => i.ObjectId).Distinct(StringComparer.Ordinal).Chunk(100))
            {
                var read = await client.ReadAsync(group.Key, chunk, group.First().Map.Fields.Keys, cancellationToken);
                if (read.Error is { } error)
                {
                    return new HubSpotBatch([], ignored, error);
                }

                foreach (var (id, properties) in read.Records)
                {
                    records[(group.Key, id)] = properties;
                }
            }
        }

        var events = new List<CrmEvent>();
        foreach (var item in items)
        {
            JsonObject? record = null;
            if (item.Type != EventTypes.RecordDeleted && !records.TryGetValue((item.ObjectType, item.ObjectId), out record))
            {
                ignored.Add(string.Create(CultureInfo.InvariantCulture, $"[{item.Index}]: HubSpot no longer has {item.ObjectType} {item.ObjectId}."));
                continue;
            }

            events.Add(new CrmEvent
            {
                Id = "hubspot-" + item.EventId,
                Type = item.Type,
                Module = item.Map.Module!,
                RecordId = item.ObjectId,
                OccurredAt = long.TryParse(Text(item.Json, "occurredAt"), out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default,
                Record = record is null ? null : JsonSerializer.SerializeToElement(Mapped(record, item.Map, item.ObjectType, item.ObjectId), EngineJson.Options),
                Data = JsonSerializer.SerializeToElement(new JsonObject
                {
                    ["source"] = "hubspot",
                    ["subscriptionType"] = Text(item.Json, "subscriptionType"),
                    ["propertyName"] = Text(item.Json, "propertyName"),
                    ["propertyValue"] = Text(item.Json, "propertyValue"),
                    ["changeSource"] = Text(item.Json, "changeSource"),
                    ["portalId"] = Text(item.Json, "portalId"),
                }, EngineJson.Options),
            });
        }

        return new HubSpotBatch(events, ignored, null);
    }

    /// <summary>HubSpot's properties under our field names (the others under their own), <c>hubspotId</c> and <c>hubspotType</c> (where changes are written back).</summary>
    private static JsonObject Mapped(JsonObject properties, HubSpotObjectMap map, string objectType, string id)
    {
        var record = new JsonObject { [CrmRecord.HubSpotId] = id, [CrmRecord.HubSpotType] = objectType.ToLowerInvariant() };
        foreach (var (name, value) in properties)
        {
            if (value is null || name is "hs_object_id" or "createdate" or "lastmodifieddate" or "hs_lastmodifieddate")
            {
                continue;
            }

            record[map.Fields.TryGetValue(name, out var field) ? field : name] = value.DeepClone();
        }

        return record;
    }

    private static string? Text(JsonElement json, string name) => JsonValues.Text(JsonValues.Field(json, name));

    private sealed record Item(int Index, JsonElement Json, string ObjectType, HubSpotObjectMap Map, string Type, string ObjectId, string EventId);
}
