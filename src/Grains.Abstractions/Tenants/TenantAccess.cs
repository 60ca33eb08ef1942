namespace RfpioGateway.Grains.Abstractions;

/// <summary>The verdict on a (tenant, token) pair.</summary>
public enum TenantAccess
{
    /// <summary>Unknown tenant, no token issued, or a wrong token: all look the same from outside.</summary>
    Denied,

    /// <summary>The token is right but Auto User Provisioning is switched off.</summary>
    Disabled,

    Granted,
}
