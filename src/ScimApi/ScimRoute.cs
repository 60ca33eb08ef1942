using RfpioGateway.Grains.Abstractions;

namespace RfpioGateway.ScimApi;

/// <summary>
/// One row of the SCIM route table: a path under the base path, its method, the operation's name and its handler.
/// It is also the endpoint's metadata, so the telemetry middleware reads the operation and resource type from it.
/// </summary>
/// <param name="Type">The resource type the route serves, or null (discovery).</param>
internal sealed record ScimRoute(string Pattern, string Method, string Operation, Delegate Handler, ResourceType? Type = null);
