using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Grains;

/// <summary>A resource on a page, with its document already loaded, so neither the filter check nor the response parses it twice.</summary>
public sealed record ListedResource(ResourceSnapshot Snapshot, ScimDocument Document);
