namespace RfpioGateway.Gateway.Edge;

/// <summary>The tenant the edge derived from a request's host; absent on requests that are not tenant routes.</summary>
internal static class EdgeTenant
{
    private const string Key = "rfpio.tenant";
    private const string UnauthenticatedKey = "rfpio.unauthenticated";

    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(Key, out var tenant) ? tenant as string : null;
    }

    internal static void Set(HttpContext context, string tenant) => context.Items[Key] = tenant;

    /// <summary>Whether the request carries no token a silo has accepted for its tenant (it spends the unauthenticated budget).</summary>
    public static bool IsUnauthenticated(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.ContainsKey(UnauthenticatedKey);
    }

    internal static void SetUnauthenticated(HttpContext context) => context.Items[UnauthenticatedKey] = true;
}
