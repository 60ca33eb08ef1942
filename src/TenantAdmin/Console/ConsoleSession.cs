namespace RfpioGateway.TenantAdmin.Console;

/// <summary>A signed-in console session: who, its random id (what sign-out ends), and when it expires.</summary>
internal sealed record ConsoleSession(TenantAdminIdentity Identity, string Id, DateTimeOffset Expires);
