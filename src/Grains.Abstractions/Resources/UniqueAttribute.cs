namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// An attribute whose values are unique within a tenant and a resource type, with its own key space.
/// </summary>
/// <param name="Name">The attribute as filters name it (<c>userName</c>).</param>
/// <param name="KeyPrefix">The key space: one letter, distinct across every resource type (<see cref="GrainKeys.Unique"/>).</param>
/// <param name="CaseExact">
/// Whether two values that differ only in case are different (RFC 7643 §2.2 caseExact). Keys fold the others
/// exactly as <c>filter=… eq</c> compares, so a lookup and a uniqueness check agree.
/// </param>
public sealed record UniqueAttribute(string Name, string KeyPrefix, bool CaseExact);
