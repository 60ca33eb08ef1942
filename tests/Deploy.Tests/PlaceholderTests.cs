using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using RfpioGateway.ServiceDefaults;

namespace RfpioGateway.Deploy.Tests;

/// <summary>
/// What an operator supplies lives in one file (deploy/k8s/overlays/prod/values.env), as REPLACE-ME placeholders the
/// services refuse to start with. These tests render the committed prod overlay and a copy with values filled in.
/// </summary>
public sealed class PlaceholderTests
{
    /// <summary>The settings one pod's process would see: its ConfigMap, its env values, and what workload identity injects.</summary>
    private static IConfiguration SettingsOf(RenderedManifests manifests, string deployment)
    {
        var pod = manifests.Deployment(deployment).Spec.Template.Spec;
        var container = pod.Containers.Single();
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } reference)
            {
                foreach (var (key, value) in manifests.ConfigMap(reference.Name).Data)
                {
                    values[key.Replace("__", ":", StringComparison.Ordinal)] = value;
                }
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            if (variable.Value is { } value)
            {
                values[variable.Name.Replace("__", ":", StringComparison.Ordinal)] = value;
            }
        }
        if (pod.ServiceAccountName is { } account
            && manifests.All<V1ServiceAccount>().Single(a => a.Metadata.Name == account).Metadata.Annotations?.TryGetValue("azure.workload.identity/client-id", out var clientId) == true)
        {
            // The AKS webhook puts the ServiceAccount's client id into the pod as AZURE_CLIENT_ID.
            values["AZURE_CLIENT_ID"] = clientId;
        }
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    private static string Yaml(object resource) => KubernetesYaml.Serialize(resource);

    [Fact]
    public void Prod_AsCommitted_EveryPlaceholderMakesAServiceRefuseOrAnImageUnpullable()
    {
        var manifests = RenderedManifests.Render("prod");
        foreach (var deployment in new[] { "rfpio-silo", "rfpio-gateway" })
        {
            // The same check the hosts run at start: each would refuse, naming what to set.
            var left = Placeholders.Find(SettingsOf(manifests, deployment));
            Assert.NotEmpty(left);
            var error = Assert.Throws<InvalidOperationException>(() => Placeholders.Refuse(SettingsOf(manifests, deployment)));
            Assert.Contains(left[0], error.Message, StringComparison.Ordinal);
            Assert.Contains(Placeholders.Marker, manifests.Deployment(deployment).Spec.Template.Spec.Containers.Single().Image, StringComparison.Ordinal);
        }
        // A placeholder anywhere else would not stop anything: only settings, images, the ServiceAccount's identity (a
        // setting once injected) and the Ingress (whose domain is the gateway's setting too) may hold one.
        var elsewhere = manifests.Objects.Where(o => o is not (V1Deployment or V1ConfigMap or V1ServiceAccount or V1Ingress))
            .Where(o => Yaml(o).Contains(Placeholders.Marker, StringComparison.Ordinal)).Select(o => o.GetType().Name).ToList();
        Assert.Empty(elsewhere);
        // And no plausible-looking stand-ins that a service would start with and fail on later.
        var all = string.Join("\n", manifests.Objects.Select(Yaml));
        Assert.DoesNotContain("00000000-0000-0000-0000-000000000000", all, StringComparison.Ordinal);
        Assert.DoesNotContain("rfpiostorage", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Prod_WithValuesFilledIn_NoPlaceholderLeftAnywhere()
    {
        var manifests = RenderFilledProd(kustomization => kustomization);

        Assert.DoesNotContain(Placeholders.Marker, string.Join("\n", manifests.Objects.Select(Yaml)), StringComparison.Ordinal);
        Assert.Empty(Placeholders.Find(SettingsOf(manifests, "rfpio-silo")));
        Assert.Empty(Placeholders.Find(SettingsOf(manifests, "rfpio-gateway")));
        Assert.Equal("https://rfpioprod.table.core.windows.net/", SettingsOf(manifests, "rfpio-silo")["Storage:AzureStorage:TableServiceUri"]);
    }

    [Fact]
    public void Prod_WithPostgresComponent_SilosUsePostgresFromTheSecretAndNothingOfAzure()
    {
        var manifests = RenderFilledProd(kustomization => kustomization.Replace(
            "  - ../../components/workload-identity", "  - ../../components/postgres", StringComparison.Ordinal));

        var pod = manifests.Deployment("rfpio-silo").Spec.Template;
        var container = pod.Spec.Containers.Single();
        Assert.Equal("Postgres", SettingsOf(manifests, "rfpio-silo")["Storage:Provider"]);
        var connection = container.Env.Single(e => e.Name == "Storage__Postgres__ConnectionString").ValueFrom.SecretKeyRef;
        Assert.Equal(("rfpio-secrets", "postgres-connection-string"), (connection.Name, connection.Key));
        Assert.DoesNotContain(container.Env, e => e.Name.StartsWith("Storage__AzureStorage", StringComparison.Ordinal) || e.Name.StartsWith("AZURE_", StringComparison.Ordinal));
        Assert.False(pod.Metadata.Labels.ContainsKey("azure.workload.identity/use"));
        Assert.Null(manifests.All<V1ServiceAccount>().Single().Metadata.Annotations);
        var ca = pod.Spec.Volumes.Single(v => v.Name == "postgres-ca").Secret;
        Assert.True(ca.Optional);
        Assert.Contains(container.VolumeMounts, m => m.Name == "postgres-ca" && m.ReadOnlyProperty == true);
        Assert.Empty(Placeholders.Find(SettingsOf(manifests, "rfpio-silo")));
    }

    /// <summary>The prod overlay rendered from a copy with every value filled in and its kustomization edited.</summary>
    private static RenderedManifests RenderFilledProd(Func<string, string> editKustomization)
    {
        var copy = Path.Combine(Path.GetTempPath(), "rfpio-k8s-" + Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.Combine(Repository.Root(), "deploy", "k8s"), copy);
        try
        {
            var kustomization = Path.Combine(copy, "overlays", "prod", "kustomization.yaml");
            File.WriteAllText(kustomization, editKustomization(File.ReadAllText(kustomization)));
            var values = Path.Combine(copy, "overlays", "prod", "values.env");
            var filled = new Dictionary<string, string>
            {
                ["siloImage"] = "rfpiocr.azurecr.io/rfpio/silo@sha256:" + new string('a', 64),
                ["gatewayImage"] = "rfpiocr.azurecr.io/rfpio/gateway@sha256:" + new string('b', 64),
                ["tenantDomain"] = "rfpio.com",
                ["tenantHosts"] = "*.rfpio.com",
                ["tenantUrlTemplate"] = "https://{tenant}.rfpio.com/rfpserver/scim/v2",
                ["storageTableUri"] = "https://rfpioprod.table.core.windows.net/",
                ["workloadClientId"] = "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            };
            File.WriteAllLines(values, File.ReadAllLines(values).Select(line => line.Split('=', 2)[0] is var name && filled.TryGetValue(name, out var value) ? $"{name}={value}" : line));
            return RenderedManifests.RenderPath("prod", Path.Combine(copy, "overlays", "prod"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Dev_HasItsOwnHostsAndCertificate_AndNoPlaceholder()
    {
        var dev = RenderedManifests.Render("dev");
        var prod = RenderedManifests.Render("prod");
        Assert.NotEqual(prod.ConfigMap("rfpio-gateway-config").Data["Tenancy__BaseDomains__0"], dev.ConfigMap("rfpio-gateway-config").Data["Tenancy__BaseDomains__0"]);
        Assert.NotEqual(prod.All<V1Ingress>().Single().Spec.Tls.Single().SecretName, dev.All<V1Ingress>().Single().Spec.Tls.Single().SecretName);
        Assert.DoesNotContain(Placeholders.Marker, string.Join("\n", dev.Objects.Select(Yaml)), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuse_SettingWithPlaceholder_NamesIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:AzureStorage:TableServiceUri"] = "https://REPLACE-ME.table.core.windows.net/",
            ["Tenancy:BaseDomains:0"] = "rfpio.com",
        }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => Placeholders.Refuse(configuration));
        Assert.Contains("Storage:AzureStorage:TableServiceUri", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Tenancy:BaseDomains:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hosts_StartedWithAPlaceholder_RefuseNamingTheSetting()
    {
        var silo = Assert.Throws<InvalidOperationException>(() => Silo.Hosting.SiloHost.Build(
            ["--Storage:Provider=Memory", "--Admin:ApiKey=REPLACE-ME-operator-key"]));
        Assert.Contains("Admin:ApiKey", silo.Message, StringComparison.Ordinal);
        var gateway = Assert.Throws<InvalidOperationException>(() => Gateway.Hosting.GatewayHost.Build(
            ["--Tenancy:BaseDomains:0=REPLACE-ME.example.com"]));
        Assert.Contains("Tenancy:BaseDomains:0", gateway.Message, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(from, to, StringComparison.Ordinal));
        }
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }
}
