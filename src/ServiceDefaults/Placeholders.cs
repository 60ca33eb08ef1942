using Microsoft.Extensions.Configuration;

namespace RfpioGateway.ServiceDefaults;

/// <summary>
/// The deployment templates mark every value an operator must supply with <see cref="Marker"/>. A host refuses to
/// start while any setting still holds one, and says which setting, rather than starting and failing later with a
/// bare 403 from storage or an unreachable host.
/// </summary>
public static class Placeholders
{
    public const string Marker = "REPLACE-ME";

    /// <summary>The settings (configuration keys, <c>:</c>-separated) whose value still holds the marker.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return [.. configuration.AsEnumerable()
            .Where(setting => setting.Value?.Contains(Marker, StringComparison.OrdinalIgnoreCase) == true)
            .Select(setting => setting.Key)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Throws, naming each setting, when any still holds the marker.</summary>
    public static void Refuse(IConfiguration configuration)
    {
        var left = Find(configuration);
        if (left.Count > 0)
        {
            throw new InvalidOperationException(
                $"These settings still hold the deployment template's placeholder '{Marker}'; set them to real values (deploy/k8s/overlays/prod/values.env, docs/operations.md): {string.Join(", ", left)}.");
        }
    }
}
