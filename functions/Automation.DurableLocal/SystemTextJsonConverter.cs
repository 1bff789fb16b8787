using Microsoft.DurableTask.Converters;
using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;

namespace Automation.DurableLocal;

/// <summary>
/// The Durable Task Framework's client serializes with its own (Newtonsoft) converter by default, while the
/// orchestrations, through <c>DurableTaskShimFactory</c>, read with Microsoft.DurableTask's System.Text.Json one: the
/// client must write what the shims read, so both go through <see cref="JsonDataConverter.Default"/>.
/// </summary>
internal sealed class SystemTextJsonConverter : CoreDataConverter
{
    public static readonly SystemTextJsonConverter Instance = new();

    public override string? Serialize(object? value) => JsonDataConverter.Default.Serialize(value);

    public override string? Serialize(object? value, bool formatted) => Serialize(value);

    public override object? Deserialize(string? data, Type objectType) => JsonDataConverter.Default.Deserialize(data, objectType);
}
