namespace RfpioGateway.TenantAdmin.Operator;

/// <summary>A token or credential just issued: the only moment its value exists outside the caller's hands.</summary>
internal sealed record IssuedSecret(string Value, string Fingerprint, DateTimeOffset IssuedAt);
