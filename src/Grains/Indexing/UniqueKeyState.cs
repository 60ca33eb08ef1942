namespace RfpioGateway.Grains;

[GenerateSerializer, Alias("rfpio.unique-key-state")]
internal sealed record UniqueKeyState
{
    [Id(0)] public string? Owner { get; init; }
}
