using RfpioGateway.Scim.Resources;

namespace RfpioGateway.Scim.Patch;

/// <summary>The document after a PATCH, and whether it differs from before (false: skip the write).</summary>
public sealed record PatchResult(ScimDocument Document, bool Changed);
