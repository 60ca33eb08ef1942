namespace RfpioGateway.Grains.Abstractions;

/// <summary>What a change did to a resource: one RFC 9967 provisioning event each (<see cref="EventUris"/>).</summary>
[GenerateSerializer, Alias("rfpio.change-kind")]
public enum ChangeKind
{
    Create,
    Put,
    Patch,
    Delete,
    Activate,
    Deactivate,
}
