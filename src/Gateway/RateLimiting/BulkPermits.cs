using System.Text.Json;
using RfpioGateway.Gateway.Edge;
using RfpioGateway.Gateway.Hosting;

namespace RfpioGateway.Gateway.RateLimiting;

/// <summary>
/// After the rate limiter: a <c>POST /Bulk</c> carries many operations, and each must spend the tenant's budget as
/// the same request sent alone would. The limiter took one permit; this takes one more per further operation from
/// the tenant's bucket, reading the body (already capped by the edge's body limit) only to count them, and rewinds
/// it for the proxy. A bulk larger than the tenant's whole burst can never pass and says so with 413.
/// </summary>
internal sealed class BulkPermits(RequestDelegate next, TenantRateLimiter limiter, GatewayTelemetry telemetry)
{
    private const string BulkPath = "/rfpserver/scim/v2/Bulk";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(BulkPath, StringComparison.OrdinalIgnoreCase)
            || EdgeTenant.Of(context) is not { } tenant || EdgeTenant.IsUnauthenticated(context))
        {
            await next(context);
            return;
        }
        context.Request.EnableBuffering();
        int operations;
        try
        {
            operations = await CountOperationsAsync(context.Request.Body, context.RequestAborted);
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            // Too large or cut short: the proxy meets the same body and answers for it.
            operations = 1;
        }
        context.Request.Body.Position = 0;
        var extra = operations - 1;
        if (extra > 0)
        {
            var (rate, burst) = limiter.LimitsFor(tenant);
            if (extra > burst)
            {
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                    $"A bulk request spends one of tenant '{tenant}''s request permits per operation; {operations} operations exceed its burst of {burst}. Send at most {burst} operations per request.");
                return;
            }
            using var lease = limiter.PerTenant.AttemptAcquire(context, extra);
            if (!lease.IsAcquired)
            {
                telemetry.RecordRateLimited("tenant");
                lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter);
                await ScimEdgeErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests,
                    $"Tenant '{tenant}' is over its limit of {rate} requests per second (bursts of {burst}); each of this request's {operations} bulk operations counts as one. Retry after the Retry-After interval.",
                    retryAfter == default ? TimeSpan.FromSeconds(1) : retryAfter);
                return;
            }
        }
        await next(context);
    }

    /// <summary>The elements of the top-level <c>Operations</c> array; a body that is not such JSON counts as one.</summary>
    internal static async Task<int> CountOperationsAsync(Stream body, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellation);
        try
        {
            var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return 1;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOperations = string.Equals(reader.GetString(), "Operations", StringComparison.OrdinalIgnoreCase);
                reader.Read();
                if (isOperations && reader.TokenType == JsonTokenType.StartArray)
                {
                    var count = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        count++;
                        reader.Skip();
                    }
                    return Math.Max(1, count);
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The silo answers malformed JSON with its own 400.
        }
        return 1;
    }
}
