using System.Collections;
using System.ComponentModel;
using System.Reflection;
using RfpioGateway.Gateway.Hosting;
using RfpioGateway.Silo.Hosting;
using Yarp.ReverseProxy.Configuration;

namespace RfpioGateway.Deploy.Tests;

/// <summary>
/// Whether an environment variable is a setting an app reads: <c>A__B__C</c> is the configuration key <c>A:B:C</c>,
/// which must lead through the app's options classes (<see cref="SiloHost.OptionsSections"/>,
/// <see cref="GatewayHost.OptionsSections"/>, YARP's route and cluster records) to a property. A few variables are read
/// by the platform instead; they are listed with who reads them.
/// </summary>
public static class SettingKeys
{
    /// <summary>Read by ASP.NET Core, .NET logging, Orleans' Kubernetes hosting or OpenTelemetry, not by our options.</summary>
    private static readonly Dictionary<string, string> Platform = new(StringComparer.Ordinal)
    {
        ["Urls"] = "ASP.NET Core hosting",
        ["POD_NAME"] = "Orleans Kubernetes hosting",
        ["POD_NAMESPACE"] = "Orleans Kubernetes hosting",
        ["POD_IP"] = "Orleans Kubernetes hosting",
        ["ORLEANS_SERVICE_ID"] = "Orleans Kubernetes hosting",
        ["ORLEANS_CLUSTER_ID"] = "Orleans Kubernetes hosting",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "OpenTelemetry",
        ["AZURE_TOKEN_CREDENTIALS"] = "Azure.Identity: the credential DefaultAzureCredential uses",
    };

    public static IReadOnlyDictionary<string, Type> Silo => SiloHost.OptionsSections;

    public static IReadOnlyDictionary<string, Type> Gateway { get; } = new Dictionary<string, Type>(GatewayHost.OptionsSections)
    {
        ["ReverseProxy"] = typeof(ReverseProxySection),
    };

    /// <summary>Null when the app reads <paramref name="variable"/>; otherwise why not.</summary>
    public static string? Problem(string variable, IReadOnlyDictionary<string, Type> sections)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(sections);
        if (Platform.ContainsKey(variable) || variable.StartsWith("Logging__", StringComparison.Ordinal))
        {
            return null;
        }
        var path = variable.Split("__");
        if (!sections.TryGetValue(path[0], out var type))
        {
            return $"{variable}: no configuration section '{path[0]}' is bound by the app";
        }
        foreach (var part in path.Skip(1))
        {
            if (ElementType(type, out var keyIsIndex) is { } element)
            {
                if (keyIsIndex && !int.TryParse(part, out _))
                {
                    return $"{variable}: '{part}' is not a list index";
                }
                type = element;
                continue;
            }
            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return $"{variable}: {type.Name} has no property '{part}'";
            }
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        // The configuration binder sets any type whose converter reads a string (Uri, TimeSpan, numbers) from one value.
        return type == typeof(string) || type.IsValueType || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string))
            ? null
            : $"{variable}: ends at {type.Name}, not at a value";
    }

    private static Type? ElementType(Type type, out bool keyIsIndex)
    {
        keyIsIndex = false;
        if (type == typeof(string))
        {
            return null;
        }
        var dictionary = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }
        if (typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType)
        {
            keyIsIndex = true;
            return type.GetGenericArguments()[0];
        }
        return null;
    }

    /// <summary>The shape YARP binds <c>ReverseProxy</c> to.</summary>
    private sealed class ReverseProxySection
    {
        public required IReadOnlyDictionary<string, RouteConfig> Routes { get; init; }

        public required IReadOnlyDictionary<string, ClusterConfig> Clusters { get; init; }
    }
}
