namespace RfpioGateway.Grains.Abstractions;

/// <summary>Attributes whose values are unique within a tenant, each with its own key space.</summary>
public enum UniqueAttribute
{
    UserName,
    ExternalId,
}
