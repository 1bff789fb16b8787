using System.Text.Json;
using Automation.Engine.Json;
using Azure.Data.Tables;

namespace Automation.Runtime.Storage;

/// <summary>
/// JSON kept in table columns as UTF-8 binary, split over <c>Name</c>, <c>Name_1</c>, ... because one property holds at
/// most 64 KiB (an entity 1 MiB). Always <see cref="EngineJson.Options"/>: what it writes, in-flight runs must read back.
/// </summary>
public static class JsonColumns
{
    private const int ChunkBytes = 60 * 1024;

    public static void Write<T>(TableEntity entity, string name, T? value)
    {
        Clear(entity, name);
        if (value is null)
        {
            return;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, EngineJson.Options);
        WriteBytes(entity, name, bytes);
    }

    public static void WriteElement(TableEntity entity, string name, JsonElement? value)
    {
        Clear(entity, name);
        if (value is not { } v || v.ValueKind == JsonValueKind.Undefined)
        {
            return;
        }

        WriteBytes(entity, name, JsonSerializer.SerializeToUtf8Bytes(v, EngineJson.Options));
    }

    public static T? Read<T>(TableEntity entity, string name)
    {
        var bytes = ReadBytes(entity, name);
        return bytes is null ? default : JsonSerializer.Deserialize<T>(bytes, EngineJson.Options);
    }

    public static JsonElement? ReadElement(TableEntity entity, string name)
    {
        var bytes = ReadBytes(entity, name);
        if (bytes is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(bytes);
        return doc.RootElement.Clone();
    }

    /// <summary>The size a value takes, to refuse what cannot be stored before writing anything.</summary>
    public static int Size<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, EngineJson.Options).Length;

    private static void WriteBytes(TableEntity entity, string name, byte[] bytes)
    {
        var chunks = Math.Max(1, (bytes.Length + ChunkBytes - 1) / ChunkBytes);
        for (var i = 0; i < chunks; i++)
        {
            var start = i * ChunkBytes;
            var length = Math.Min(ChunkBytes, bytes.Length - start);
            entity[ChunkName(name, i)] = bytes.AsSpan(start, length).ToArray();
        }
    }

    private static byte[]? ReadBytes(TableEntity entity, string name)
    {
        if (entity.GetBinary(name) is not { } first)
        {
            return null;
        }

        var rest = new List<byte[]>();
        for (var i = 1; entity.GetBinary(ChunkName(name, i)) is { } more; i++)
        {
            rest.Add(more);
        }

        if (rest.Count == 0)
        {
            return first;
        }

        var all = new byte[first.Length + rest.Sum(r => r.Length)];
        first.CopyTo(all, 0);
        var offset = first.Length;
        foreach (var r in rest)
        {
            r.CopyTo(all, offset);
            offset += r.Length;
        }

        return all;
    }

    private static void Clear(TableEntity entity, string name)
    {
        entity.Remove(name);
        for (var i = 1; entity.ContainsKey(ChunkName(name, i)); i++)
        {
            entity.Remove(ChunkName(name, i));
        }
    }

    private static string ChunkName(string name, int index) => index == 0 ? name : $"{name}_{index}";
}
