namespace RfpioGateway.Grains.Abstractions;

/// <summary>What became of a change to a tenant's token, console credential or streams.</summary>
[GenerateSerializer, Alias("rfpio.tenant-change")]
public enum TenantChange
{
    Done,

    /// <summary>The tenant does not exist.</summary>
    NoTenant,

    /// <summary>The tenant is being offboarded: it takes no new secrets or streams.</summary>
    Offboarding,

    /// <summary>The tenant has as many of the thing as it may.</summary>
    Limit,
}
