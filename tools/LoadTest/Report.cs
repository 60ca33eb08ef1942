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

    // Chart geometry: the plot area inside margins that hold the axes' tick labels and titles.
    private const int ChartWidth = 1000, ChartHeight = 300, Left = 70, Right = 70, Top = 30, Bottom = 110;

    private static double PlotWidth => ChartWidth - Left - Right;

    private static double PlotHeight => ChartHeight - Top - Bottom;

    /// <summary>Throughput per tenant as bars, with a y axis in req/s, tenant names under the bars, and a legend.</summary>
    private static string Bars(List<(string Name, double Value, bool Noisy)> bars)
    {
        var shown = bars.Count > 200 ? [.. bars.OrderBy(b => b.Value).Where((_, i) => i % (bars.Count / 200 + 1) == 0)] : bars;
        var max = NiceCeiling(shown.Count == 0 ? 1 : shown.Max(b => b.Value));
        var barWidth = PlotWidth / Math.Max(shown.Count, 1);
        var svg = new StringBuilder(Open("throughput per tenant, requests per second"));
        svg.Append(YAxis(max, "req/s", Left, anchorEnd: true));
        // Every tenant's name when they fit, else every nth: a label needs about 14 px.
        var every = Math.Max(1, (int)Math.Ceiling(14 / barWidth));
        for (var i = 0; i < shown.Count; i++)
        {
            var h = shown[i].Value / max * PlotHeight;
            var x = Left + i * barWidth;
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x:0.#}" y="{Top + PlotHeight - h:0.#}" width="{Math.Max(barWidth - 1, 0.5):0.#}" height="{h:0.#}" fill="{(shown[i].Noisy ? "#b3261e" : "#0b57d0")}"><title>{WebUtility.HtmlEncode(shown[i].Name)}: {shown[i].Value:0.#} req/s</title></rect>""");
            if (i % every == 0)
            {
                var cx = x + barWidth / 2;
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{cx:0.#}" y="{Top + PlotHeight + 8:0.#}" font-size="11" text-anchor="end" transform="rotate(-60 {cx:0.#} {Top + PlotHeight + 8:0.#})">{WebUtility.HtmlEncode(Short(shown[i].Name))}</text>""");
            }
        }
        svg.Append(XAxisLine());
        var note = bars.Count > shown.Count ? $" (every {bars.Count / 200 + 1}th of {bars.Count}, sorted by throughput)" : $" ({bars.Count})";
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + PlotWidth / 2:0.#}" y="{ChartHeight - 4}" font-size="12" text-anchor="middle">tenant{WebUtility.HtmlEncode(note)}</text>""");
        svg.Append(Legend([("#0b57d0", "tenant"), ("#b3261e", "noisy tenant")]));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Requests per second (left axis) and p99 latency (right axis) against seconds since the start.</summary>
    private static string Lines(double[] throughput, double[] p99)
    {
        var maxRate = NiceCeiling(throughput.Length == 0 ? 1 : throughput.Max());
        var maxLatency = NiceCeiling(p99.Length == 0 ? 1 : p99.Max());
        var seconds = Math.Max(throughput.Length - 1, 1);
        string Path(double[] values, double max, string colour)
        {
            var points = string.Join(" ", values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{Left + i * PlotWidth / seconds:0.#},{Top + PlotHeight - v / max * PlotHeight:0.#}")));
            return $"""<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>""";
        }
        var svg = new StringBuilder(Open("requests per second and p99 latency per second"));
        svg.Append(YAxis(maxRate, "req/s", Left, anchorEnd: true));
        svg.Append(YAxis(maxLatency, "p99 ms", Left + PlotWidth, anchorEnd: false));
        svg.Append(XAxisLine());
        var step = NiceStep(seconds / 10.0);
        for (var t = 0.0; t <= seconds + 1e-9; t += step)
        {
            var x = Left + t / seconds * PlotWidth;
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="{Top + PlotHeight}" x2="{x:0.#}" y2="{Top + PlotHeight + 5}" stroke="#444"/><text x="{x:0.#}" y="{Top + PlotHeight + 18}" font-size="11" text-anchor="middle">{t:0.##}</text>""");
        }
        svg.Append(Path(throughput, maxRate, "#0b57d0")).Append(Path(p99, maxLatency, "#b3261e"));
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left + PlotWidth / 2:0.#}" y="{Top + PlotHeight + 40}" font-size="12" text-anchor="middle">seconds since the start</text>""");
        svg.Append(Legend([("#0b57d0", "requests/s (left axis)"), ("#b3261e", "p99 latency, ms (right axis)")]));
        return svg.Append("</svg>").ToString();
    }

    private static string Open(string label) =>
        $"""<svg viewBox="0 0 {ChartWidth} {ChartHeight}" width="100%" role="img" aria-label="{label}" font-family="sans-serif">""";

    private static string XAxisLine() => string.Create(CultureInfo.InvariantCulture,
        $"""<line x1="{Left}" y1="{Top + PlotHeight}" x2="{Left + PlotWidth}" y2="{Top + PlotHeight}" stroke="#444"/>""");

    /// <summary>A vertical axis at <paramref name="x"/> with five ticks from 0 to <paramref name="max"/> and its unit on top.</summary>
    private static string YAxis(double max, string unit, double x, bool anchorEnd)
    {
        var axis = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="{Top}" x2="{x:0.#}" y2="{Top + PlotHeight}" stroke="#444"/>"""));
        var (tick, label) = anchorEnd ? (-5, -8) : (5, 8);
        for (var i = 0; i <= 5; i++)
        {
            var value = max * i / 5;
            var y = Top + PlotHeight - PlotHeight * i / 5;
            axis.Append(CultureInfo.InvariantCulture, $"""<line x1="{x:0.#}" y1="{y:0.#}" x2="{x + tick:0.#}" y2="{y:0.#}" stroke="#444"/><text x="{x + label:0.#}" y="{y + 4:0.#}" font-size="11" text-anchor="{(anchorEnd ? "end" : "start")}">{value:0.##}</text>""");
        }
        axis.Append(CultureInfo.InvariantCulture, $"""<text x="{x:0.#}" y="{Top - 12}" font-size="12" text-anchor="middle">{WebUtility.HtmlEncode(unit)}</text>""");
        return axis.ToString();
    }

    private static string Legend(IReadOnlyList<(string Colour, string Label)> entries)
    {
        var legend = new StringBuilder();
        var x = (double)Left + 40;
        foreach (var (colour, label) in entries)
        {
            legend.Append(CultureInfo.InvariantCulture, $"""<rect x="{x:0.#}" y="6" width="12" height="12" fill="{colour}"/><text x="{x + 16:0.#}" y="16" font-size="12">{WebUtility.HtmlEncode(label)}</text>""");
            x += 30 + label.Length * 7;
        }
        return legend.ToString();
    }

    private static string Short(string name) => name.Length <= 18 ? name : name[..17] + "…";

    /// <summary>1, 2 or 5 times a power of ten, at least <paramref name="value"/>: readable tick labels.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var factor in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (value <= factor * power)
            {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static double NiceStep(double raw) => NiceCeiling(Math.Max(raw, 1e-9));
}
