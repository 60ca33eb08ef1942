using System.Globalization;
using RfpioGateway.ScimApi;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.TenantAdmin.Activity;

/// <summary>Reads an activity query from a query string, for the operator API and the console alike.</summary>
internal static class ActivityQueryParser
{
    /// <summary>The operations a query may filter on: every SCIM endpoint's name.</summary>
    public static IReadOnlyList<string> Operations => ScimOperations.All;

    public static bool TryParse(IQueryCollection query, int maxCount, out ActivityQuery result, out string problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        result = new ActivityQuery();
        problem = "";
        var outcome = Value(query, "result");
        if (outcome is not (null or "success" or "failure"))
        {
            problem = "result must be 'success' or 'failure'.";
            return false;
        }
        var operation = Value(query, "operation");
        if (operation is not null && !Operations.Contains(operation, StringComparer.Ordinal))
        {
            problem = $"operation must be one of {string.Join(", ", Operations)}.";
            return false;
        }
        if (!TryTime(query, "from", out var from) || !TryTime(query, "to", out var to))
        {
            problem = "from and to must be ISO 8601 times, such as 2026-11-29T10:00:00Z (a time without a zone is UTC).";
            return false;
        }
        long? before = null;
        if (Value(query, "before") is { } beforeText)
        {
            if (!long.TryParse(beforeText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                problem = "before must be the 'next' value of the previous page.";
                return false;
            }
            before = parsed;
        }
        var count = int.TryParse(Value(query, "count"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? Math.Clamp(c, 1, maxCount) : 50;
        result = new ActivityQuery { Result = outcome, Operation = operation, From = from, To = to, Before = before, Count = count };
        return true;
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } text ? text : null;

    private static bool TryTime(IQueryCollection query, string name, out DateTimeOffset? time)
    {
        time = null;
        if (Value(query, name) is not { } text)
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }
        return false;
    }
}
