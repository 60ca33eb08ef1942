namespace RfpioGateway.Gateway.Edge;

/// <summary>The tenant the edge derived from a request's host; absent on requests that are not tenant routes.</summary>
public static class EdgeTenant
{
    private const string Key = "rfpio.tenant";

    public static string? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(Key, out var tenant) ? tenant as string : null;
    }

    internal static void Set(HttpContext context, string tenant) => context.Items[Key] = tenant;
}
