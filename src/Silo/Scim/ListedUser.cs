using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Silo.Scim;

/// <summary>A user on a page, with its document already loaded, so neither the filter check nor the response parses it twice.</summary>
public sealed record ListedUser(UserSnapshot Snapshot, ScimDocument Document);
