using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.TenantAdmin.Console;

/// <summary>Who is signed in to a tenant's console: the tenant, the credential generation it signed in under, and a display name.</summary>
internal sealed record TenantAdminIdentity(TenantId Tenant, int Generation, string Subject);
