using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RfpioGateway.LoadTest;

/// <summary>The run's numbers: per tenant and operation, overall, fairness, and a per-second timeline.</summary>
public sealed record Report
{
    public required DateTimeOffset Started { get; init; }
    public required LoadOptionsSummary Options { get; init; }
    public required double DurationSeconds { get; init; }
    public required long Requests { get; init; }
    public required double RequestsPerSecond { get; init; }
    public required double P50Ms { get; init; }
    public required double P99Ms { get; init; }
    public required Dictionary<string, int> ErrorsByStatus { get; init; }
    public required double JainFairness { get; init; }
    public double? QuietJainFairness { get; init; }
    public double? QuietP99Ms { get; init; }
    public required int UsersCreated { get; init; }
    public required double UsersCreatedPerSecond { get; init; }
    /// <summary>With <c>--push-receiver</c>: what the receiver got, against what SCIM acknowledged.</summary>
    public EventReceiver.Summary? Events { get; set; }

    /// <summary>From the first group request's start to the last one's end (null without a group phase).</summary>
    public double? GroupPhaseSeconds { get; init; }

    /// <summary>Group requests per second of the group phase.</summary>
    public double? GroupRequestsPerSecond { get; init; }

    public required List<OperationStats> Operations { get; init; }
    public required List<TenantStats> Tenants { get; init; }
    public required List<SecondStats> Timeline { get; init; }

    public sealed record LoadOptionsSummary(string Target, int Tenants, int UsersPerTenant, int IncrementalCycles, int TenantConcurrency, int MaxConcurrency, double Rate, int NoisyTenants);

    public sealed record OperationStats(string Operation, long Count, double PerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs, Dictionary<string, int> Errors);

    public sealed record TenantStats(string Tenant, bool Noisy, long Count, double PerSecond, double P50Ms, double P99Ms, double MaxMs, int Errors, List<OperationStats> Operations);

    public sealed record SecondStats(int Second, long Requests, double P99Ms, long Errors);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static Report From(LoadOptions options, DateTimeOffset started, double duration, IReadOnlyList<Recorder.Sample> samples, ISet<string> noisy)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(noisy);
        var tenants = samples.GroupBy(s => s.Tenant).Select(g =>
        {
            var span = Math.Max(g.Max(s => s.At) - g.Min(s => s.At - s.LatencyMs / 1000), 1e-3);
            var latencies = Sorted(g);
            return new TenantStats(g.Key, noisy.Contains(g.Key), g.Count(), g.Count() / span, Percentile(latencies, 50), Percentile(latencies, 99), latencies[^1],
                g.Count(s => !Ok(s.Status)), StatsByOperation(g, span));
        }).OrderBy(t => t.Tenant, StringComparer.Ordinal).ToList();
        var quiet = tenants.Where(t => !t.Noisy).ToList();
        var all = Sorted(samples);
        var created = samples.Count(s => s.Operation == "Create" && s.Status == 201);
        var creates = samples.Where(s => s.Operation == "Create").ToList();
        var createSpan = creates.Count == 0 ? 1 : Math.Max(creates.Max(s => s.At) - creates.Min(s => s.At - s.LatencyMs / 1000), 1e-3);
        var groupSamples = samples.Where(s => s.Operation.StartsWith("Group", StringComparison.Ordinal)).ToList();
        double? groupSpan = groupSamples.Count == 0 ? null : Math.Max(groupSamples.Max(s => s.At) - groupSamples.Min(s => s.At - s.LatencyMs / 1000), 1e-3);
        return new Report
        {
            GroupPhaseSeconds = groupSpan,
            GroupRequestsPerSecond = groupSpan is { } g ? groupSamples.Count / g : null,
            Started = started,
            Options = new LoadOptionsSummary(options.Target.ToString(), options.Tenants, options.UsersPerTenant, options.IncrementalCycles, options.TenantConcurrency, options.MaxConcurrency, options.Rate, options.NoisyTenants),
            DurationSeconds = duration,
            Requests = samples.Count,
            RequestsPerSecond = samples.Count / Math.Max(duration, 1e-3),
            P50Ms = Percentile(all, 50),
            P99Ms = Percentile(all, 99),
            ErrorsByStatus = Errors(samples),
            JainFairness = Jain(tenants.Select(t => t.PerSecond)),
            QuietJainFairness = noisy.Count > 0 ? Jain(quiet.Select(t => t.PerSecond)) : null,
            QuietP99Ms = noisy.Count > 0 ? Percentile(Sorted(samples.Where(s => !noisy.Contains(s.Tenant))), 99) : null,
            UsersCreated = created,
            UsersCreatedPerSecond = created / createSpan,
            Operations = StatsByOperation(samples, duration),
            Tenants = tenants,
            Timeline = [.. samples.GroupBy(s => (int)s.At).OrderBy(g => g.Key).Select(g => new SecondStats(g.Key, g.Count(), Percentile(Sorted(g), 99), g.Count(s => !Ok(s.Status))))],
        };
    }

    /// <summary>Jain's index: 1 when every tenant got the same throughput, 1/n when one got it all.</summary>
    public static double Jain(IEnumerable<double> values)
    {
        var list = values.ToList();
        var sumSquares = list.Sum(v => v * v);
        return list.Count == 0 || sumSquares == 0 ? 1 : Math.Pow(list.Sum(), 2) / (list.Count * sumSquares);
    }

    public static double Percentile(double[] sorted, double percentile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public async Task WriteAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(this, Json));
        await File.WriteAllTextAsync(Path.Combine(folder, "report.html"), Html());
    }

    private const string Style = "body{font:15px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}"
        + "table{border-collapse:collapse;font-size:.9rem}th,td{border-bottom:1px solid #d0d7de;padding:.25rem .6rem;text-align:right}"
        + "th:first-child,td:first-child{text-align:left}svg{background:#f6f8fa;border:1px solid #d0d7de}";

    private static bool Ok(int status) => status is >= 200 and < 300;

    private static double[] Sorted(IEnumerable<Recorder.Sample> samples)
    {
        var latencies = samples.Select(s => s.LatencyMs).ToArray();
        Array.Sort(latencies);
        return latencies;
    }

    private static Dictionary<string, int> Errors(IEnumerable<Recorder.Sample> samples) =>
        samples.Where(s => !Ok(s.Status)).GroupBy(s => s.Status == 0 ? "no answer" : s.Status.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Count());

    private string QuietSummary() => QuietJainFairness is { } q
        ? string.Create(CultureInfo.InvariantCulture, $" (quiet tenants: {q:0.000}, their p99 {QuietP99Ms:0.##} ms)")
        : "";

    private static List<OperationStats> StatsByOperation(IEnumerable<Recorder.Sample> samples, double duration) =>
        [.. samples.GroupBy(s => s.Operation).Select(g =>
        {
            var latencies = Sorted(g);
            return new OperationStats(g.Key, latencies.Length, latencies.Length / Math.Max(duration, 1e-3), Percentile(latencies, 50), Percentile(latencies, 95),
                Percentile(latencies, 99), latencies[^1], Errors(g));
        }).OrderBy(o => o.Operation, StringComparer.Ordinal)];

    private string Html()
    {
        static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        static string E(string v) => WebUtility.HtmlEncode(v);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>RfpioGateway load test {Started:yyyy-MM-dd HH:mm} UTC</title>
            <style>{Style}</style></head><body>
            <h1>Load test, {Started:yyyy-MM-dd HH:mm:ss} UTC</h1>
            <p>Target {E(Options.Target)}: {Options.Tenants} tenants × {Options.UsersPerTenant} users, {Options.IncrementalCycles} incremental cycle(s),
            {Options.TenantConcurrency} in flight per tenant, {Options.MaxConcurrency} overall, rate {(Options.Rate > 0 ? F(Options.Rate) + "/s per tenant" : "unlimited")},
            {Options.NoisyTenants} noisy tenant(s).</p>
            <ul><li><strong>{Requests}</strong> requests in {F(DurationSeconds)} s: <strong>{F(RequestsPerSecond)} req/s</strong>, p50 {F(P50Ms)} ms, p99 {F(P99Ms)} ms</li>
            <li>users created: {UsersCreated} at {F(UsersCreatedPerSecond)}/s</li>
            <li>Jain's fairness over per-tenant throughput: <strong>{JainFairness:0.000}</strong>{QuietSummary()}</li>
            <li>errors: {(ErrorsByStatus.Count == 0 ? "none" : E(string.Join(", ", ErrorsByStatus.Select(e => $"{e.Key}: {e.Value}"))))}</li></ul>
            <h2>Per operation</h2><table><tr><th>operation</th><th>count</th><th>per s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th></tr>
            """);
        foreach (var o in Operations)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(o.Operation)}</td><td>{o.Count}</td><td>{F(o.PerSecond)}</td><td>{F(o.P50Ms)}</td><td>{F(o.P95Ms)}</td><td>{F(o.P99Ms)}</td><td>{F(o.MaxMs)}</td><td>{E(string.Join(", ", o.Errors.Select(e => $"{e.Key}: {e.Value}")))}</td></tr>");
        }
        html.Append("</table><h2>Throughput per tenant (req/s)</h2>");
        html.Append(Bars([.. Tenants.Select(t => (t.Tenant, t.PerSecond, t.Noisy))]));
        html.Append("<h2>Requests per second and p99 latency over time</h2>");
        html.Append(Lines([.. Timeline.Select(s => (double)s.Requests)], [.. Timeline.Select(s => s.P99Ms)]));
        html.Append("<h2>Per tenant</h2><table><tr><th>tenant</th><th>requests</th><th>req/s</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th></tr>");
        foreach (var t in Tenants.Take(500))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(t.Tenant)}{(t.Noisy ? " (noisy)" : "")}</td><td>{t.Count}</td><td>{F(t.PerSecond)}</td><td>{F(t.P50Ms)}</td><td>{F(t.P99Ms)}</td><td>{F(t.MaxMs)}</td><td>{t.Errors}</td></tr>");
        }
        html.Append(Tenants.Count > 500 ? $"<p>… {Tenants.Count - 500} more tenants in report.json.</p>" : "");
        html.Append("</table></body></html>");
        return html.ToString();
    }

    private static string Bars(List<(string Name, double Value, bool Noisy)> bars)
    {
        const int width = 1000, height = 220;
        var shown = bars.Count > 200 ? [.. bars.OrderBy(b => b.Value).Where((_, i) => i % (bars.Count / 200 + 1) == 0)] : bars;
        var max = Math.Max(shown.Count == 0 ? 1 : shown.Max(b => b.Value), 1e-9);
        var barWidth = (double)width / Math.Max(shown.Count, 1);
        var svg = new StringBuilder($"""<svg viewBox="0 0 {width} {height + 20}" width="100%" role="img" aria-label="throughput per tenant">""");
        for (var i = 0; i < shown.Count; i++)
        {
            var h = shown[i].Value / max * height;
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{i * barWidth:0.#}" y="{height - h:0.#}" width="{Math.Max(barWidth - 1, 0.5):0.#}" height="{h:0.#}" fill="{(shown[i].Noisy ? "#b3261e" : "#0b57d0")}"><title>{WebUtility.HtmlEncode(shown[i].Name)}: {shown[i].Value:0.#} req/s</title></rect>""");
        }
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="4" y="{height + 15}" font-size="12">max {max:0.#} req/s; {bars.Count} tenants{(bars.Count > shown.Count ? $" (every {bars.Count / 200 + 1}th, sorted)" : "")}; red = noisy</text></svg>""");
        return svg.ToString();
    }

    private static string Lines(double[] throughput, double[] p99)
    {
        const int width = 1000, height = 220;
        string Path(double[] values, string colour)
        {
            var max = Math.Max(values.Length == 0 ? 1 : values.Max(), 1e-9);
            var step = (double)width / Math.Max(values.Length - 1, 1);
            var points = string.Join(" ", values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{i * step:0.#},{height - v / max * height:0.#}")));
            return $"""<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>""";
        }
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg viewBox="0 0 {width} {height + 20}" width="100%" role="img" aria-label="requests per second and p99 latency per second">
            {Path(throughput, "#0b57d0")}{Path(p99, "#b3261e")}
            <text x="4" y="{height + 15}" font-size="12">blue: requests/s (max {(throughput.Length == 0 ? 0 : throughput.Max()):0}); red: p99 ms (max {(p99.Length == 0 ? 0 : p99.Max()):0.#}); x: seconds 0–{throughput.Length}</text></svg>
            """);
    }
}
