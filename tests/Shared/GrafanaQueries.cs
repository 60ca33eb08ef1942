using System.Text.Json;
using System.Text.RegularExpressions;

namespace RfpioGateway.Tests.Shared;

/// <summary>
/// The metric names and grouping labels the Grafana dashboard in deploy/grafana reads, and a check of them against
/// a process's Prometheus text, so a renamed metric or label fails a test instead of leaving a panel empty.
/// </summary>
internal static partial class GrafanaQueries
{
    /// <summary>Every (metric, labels it groups by) the dashboard's queries name.</summary>
    public static IReadOnlyList<(string Metric, string[] Labels)> Read()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root(), "deploy", "grafana", "rfpio-gateway.json"))).RootElement;
        var found = new List<(string, string[])>();
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expression = target.GetProperty("expr").GetString()!;
                // Prometheus adds "instance" and "le" belongs to every histogram: neither is ours to export.
                var labels = GroupBy().Matches(expression).SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
                    .Where(l => l is not ("instance" or "le")).ToArray();
                foreach (Match metric in MetricName().Matches(GroupBy().Replace(expression, "")))
                {
                    found.Add((metric.Value, labels));
                }
            }
        }
        return found;
    }

    /// <summary>What of the dashboard's queries on metrics with this prefix the Prometheus text lacks (empty when nothing).</summary>
    public static List<string> Missing(string prometheusText, string prefix)
    {
        var lines = prometheusText.Split('\n').Where(l => l.Length > 0 && l[0] != '#').ToList();
        var missing = new List<string>();
        foreach (var (metric, labels) in Read().Where(q => q.Metric.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var series = lines.Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal)).ToList();
            if (series.Count == 0)
            {
                missing.Add(metric);
                continue;
            }
            missing.AddRange(labels.Where(label => !series.Any(s => s.Contains(label + "=\"", StringComparison.Ordinal))).Select(label => $"{metric} by {label}"));
        }
        return missing;
    }

    [GeneratedRegex(@"by \(([a-z_, ]+)\)")]
    private static partial Regex GroupBy();

    [GeneratedRegex(@"\b(?:rfpio|orleans|http|kestrel)_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
