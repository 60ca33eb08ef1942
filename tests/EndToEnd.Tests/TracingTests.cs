using System.Diagnostics;
using System.Net;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>One SCIM request through the real gateway into the real silo is one trace, from edge to storage.</summary>
public sealed class TracingTests : IClassFixture<EdgeStack>
{
    private const string Create = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com","active":true}""";

    private readonly EdgeStack _stack;

    public TracingTests(EdgeStack stack) => _stack = stack;

    [Fact]
    public async Task Create_ThroughGateway_IsOneTraceFromEdgeToStorageWrite()
    {
        var token = await _stack.CreateTenantAsync("tracea");

        var response = await _stack.ScimAsync(HttpMethod.Post, "tracea", token, "/Users", Create);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spans = _stack.AllSpans();
        var edge = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.ParentSpanId == default
            && s.GetTagItem("rfpio.tenant") as string == "tracea" && s.GetTagItem("http.request.method") as string == "POST");
        // A span is exported when it ends, and the silo's request span ends after its answer is on the wire (metrics
        // and the activity record come last), so the client can hold the answer before every span is in.
        await Eventually.TrueAsync(() =>
        {
            var ids = _stack.AllSpans().Where(s => s.TraceId == edge.TraceId).Select(s => s.SpanId).ToHashSet();
            return _stack.AllSpans().Where(s => s.TraceId == edge.TraceId && s != edge).All(s => ids.Contains(s.ParentSpanId));
        }, because: "every span of the trace should have ended");
        var trace = _stack.AllSpans().Where(s => s.TraceId == edge.TraceId).ToList();
        var byId = trace.ToDictionary(s => s.SpanId);
        // Every span but the root hangs off another span of the same trace.
        Assert.All(trace.Where(s => s != edge), s => Assert.True(byId.ContainsKey(s.ParentSpanId), $"{s.Source.Name}/{s.DisplayName} has a parent outside the trace"));

        var forward = Assert.Single(trace, s => s.Source.Name == "Yarp.ReverseProxy");
        Assert.True(IsBelow(forward, edge, byId));
        var silo = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server && s != edge);
        Assert.True(IsBelow(silo, forward, byId), "the silo's request span is not below the proxy's forward");
        Assert.Equal("tracea", silo.GetTagItem("rfpio.tenant"));
        Assert.Equal("Users.Create", silo.GetTagItem("scim.operation"));
        // Resource grains share IResourceGrain, so the span is named after it; the grain id says it is a user.
        var grainCall = trace.First(s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
            && s.DisplayName == "IResourceGrain/CreateAsync" && (s.GetTagItem("orleans.rpc.target_id") as string ?? "").StartsWith("user/", StringComparison.Ordinal));
        Assert.True(IsBelow(grainCall, silo, byId), "the grain call is not below the silo's request span");
        var write = trace.First(s => s.Source.Name == "RfpioGateway.Silo" && s.DisplayName == "sqlite write grain state");
        Assert.True(IsBelow(write, grainCall, byId), "the storage write is not below the grain call");
    }

    [Fact]
    public async Task Requests_WithToken_TokenAppearsInNoSpanLogOrMetric()
    {
        var token = await _stack.CreateTenantAsync("tokenleak");
        await _stack.ScimAsync(HttpMethod.Post, "tokenleak", token, "/Users", Create);
        await _stack.ScimAsync(HttpMethod.Get, "tokenleak", token, "/Users?filter=userName%20eq%20%22ada@example.com%22");
        await _stack.ScimAsync(HttpMethod.Get, "tokenleak", token + "x", "/Users");
        await _stack.ScimAsync(HttpMethod.Post, "tokenleak", token, "/Users", "{ not json");

        var spans = _stack.AllSpans();
        var secret = token["rfpscim_".Length..];
        Assert.Contains(spans, s => s.GetTagItem("rfpio.tenant") as string == "tokenleak");
        foreach (var span in spans)
        {
            var text = string.Join(" ", span.DisplayName, string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}")),
                string.Join(" ", span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}"))), span.StatusDescription);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        var lines = _stack.SiloLogs.Lines.Concat(_stack.GatewayLogs.Lines).ToList();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        var metricTags = MetricTags(_stack.SiloMetrics).Concat(MetricTags(_stack.GatewayMetrics)).ToList();
        Assert.Contains(metricTags, t => t.StartsWith("scim.operation=", StringComparison.Ordinal));
        Assert.DoesNotContain(metricTags, t => t.Contains(secret, StringComparison.Ordinal) || t.Contains("tokenleak", StringComparison.Ordinal));
    }

    private static bool IsBelow(Activity span, Activity ancestor, Dictionary<ActivitySpanId, Activity> byId)
    {
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent == ancestor)
            {
                return true;
            }
        }
        return false;
    }

    private static IEnumerable<string> MetricTags(List<OpenTelemetry.Metrics.Metric> metrics)
    {
        lock (metrics)
        {
            foreach (var metric in metrics.ToList())
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    foreach (var tag in point.Tags)
                    {
                        yield return $"{tag.Key}={tag.Value}";
                    }
                }
            }
        }
    }
}
