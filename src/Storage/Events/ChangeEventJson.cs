using System.Text.Json;
using System.Text.Json.Serialization;
using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.Storage.Events;

/// <summary>How every event store keeps an event: one JSON text, kinds by name so reordering the enum changes nothing stored.</summary>
internal static class ChangeEventJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Write(ChangeEvent change) => JsonSerializer.Serialize(change, Options);

    public static ChangeEvent Read(string json) => JsonSerializer.Deserialize<ChangeEvent>(json, Options)!;
}
