using System.Globalization;

namespace RfpioGateway.Grains.Abstractions;

/// <summary>
/// A tenant's directory shard count, which is fixed when the tenant is created. The SCIM API reads it with the
/// token's verdict (cached per tenant and token, so a tenant created again under the same name, with a new token,
/// never meets an old count) and carries it down the request's grain calls, so a resource activated for the request
/// need not ask the tenant grain: a create activates a new grain every time. The carried value names its tenant and
/// is used only for that tenant; without it the tenant grain is asked.
/// </summary>
public static class TenantShards
{
    private const string ContextKey = "rfpio.shards";

    /// <summary>Carries <paramref name="shardCount"/> down the grain calls the current request makes.</summary>
    public static void Carry(TenantId tenant, int shardCount) =>
        RequestContext.Set(ContextKey, string.Create(CultureInfo.InvariantCulture, $"{shardCount}:{tenant.Value}"));

    /// <summary>The tenant's shard count (at least 1): the carried one when it names this tenant, else the tenant grain's.</summary>
    public static async ValueTask<int> OfAsync(IGrainFactory grains, TenantId tenant)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (Carried(tenant) is { } carried)
        {
            return carried;
        }
        var info = await grains.Get<ITenantGrain>(GrainKeys.Tenant(tenant)).GetInfoAsync();
        return Math.Max(1, info.ShardCount);
    }

    private static int? Carried(TenantId tenant)
    {
        if (RequestContext.Get(ContextKey) is not string value)
        {
            return null;
        }
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && value.AsSpan(colon + 1).SequenceEqual(tenant.Value)
            && int.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count > 0
                ? count
                : null;
    }
}
