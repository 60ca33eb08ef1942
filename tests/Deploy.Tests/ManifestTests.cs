using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Gateway.Hosting;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Deploy.Tests;

/// <summary>The Kubernetes manifests, rendered offline and checked against each other and against the apps.</summary>
[Trait("Category", "Kubectl")]
public sealed class ManifestTests
{
    public static TheoryData<string> Overlays => ["dev", "prod"];

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Render_Overlay_HasEveryPartOfTheDeployment(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);

        Assert.Equal(2, manifests.All<V1Deployment>().Count());
        Assert.Single(manifests.All<V1Namespace>());
        Assert.Single(manifests.All<V1Ingress>());
        Assert.Single(manifests.All<V2HorizontalPodAutoscaler>());
        Assert.Equal(2, manifests.All<V1PodDisruptionBudget>().Count());
        Assert.Equal(5, manifests.All<V1NetworkPolicy>().Count());
        Assert.Single(manifests.All<V1ServiceAccount>());
        Assert.Single(manifests.All<V1Role>());
        Assert.Single(manifests.All<V1RoleBinding>());
        // Secrets are referenced, never committed.
        Assert.Empty(manifests.All<V1Secret>());
        var ns = manifests.All<V1Namespace>().Single().Metadata.Name;
        Assert.All(manifests.Objects.OfType<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace), o => Assert.Equal(ns, o.Metadata.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Settings_EveryVariableAndConfigKey_IsOneTheAppReads(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var problems = new List<string>();
        foreach (var (deployment, sections) in new[] { ("rfpio-silo", SettingKeys.Silo), ("rfpio-gateway", SettingKeys.Gateway) })
        {
            var container = manifests.Deployment(deployment).Spec.Template.Spec.Containers.Single();
            var names = (container.Env ?? []).Select(e => e.Name)
                .Concat((container.EnvFrom ?? []).SelectMany(source => manifests.ConfigMap(source.ConfigMapRef.Name).Data.Keys));
            problems.AddRange(names.Select(name => SettingKeys.Problem(name, sections)).OfType<string>().Select(p => $"{deployment}: {p}"));
        }

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("dev", false)]
    [InlineData("prod", true)]
    public void Storage_EachOverlay_ReachesTheAccountOneWay(string overlay, bool workloadIdentity)
    {
        var manifests = RenderedManifests.Render(overlay);
        var pod = manifests.Deployment("rfpio-silo").Spec.Template;
        var env = pod.Spec.Containers.Single().Env.Select(e => e.Name).ToList();
        var annotations = manifests.All<V1ServiceAccount>().Single().Metadata.Annotations ?? new Dictionary<string, string>();

        Assert.Equal(workloadIdentity, env.Contains("Storage__AzureStorage__TableServiceUri"));
        Assert.Equal(!workloadIdentity, env.Contains("Storage__AzureStorage__ConnectionString"));
        Assert.Equal(workloadIdentity, pod.Metadata.Labels.TryGetValue("azure.workload.identity/use", out var use) && use == "true");
        Assert.Equal(workloadIdentity, annotations.ContainsKey("azure.workload.identity/client-id"));
    }

    [Fact]
    public void Problem_UnknownSetting_IsReported()
    {
        Assert.NotNull(SettingKeys.Problem("Storage__Provder", SettingKeys.Silo));
        Assert.NotNull(SettingKeys.Problem("Edge__MaxRequestBodyBytes__0", SettingKeys.Gateway));
        Assert.NotNull(SettingKeys.Problem("Nonsense__Key", SettingKeys.Gateway));
        Assert.Null(SettingKeys.Problem("RateLimiting__Tenants__acme__Burst", SettingKeys.Gateway));
        Assert.Null(SettingKeys.Problem("ReverseProxy__Clusters__silo__Destinations__a__Address", SettingKeys.Gateway));
        Assert.Null(SettingKeys.Problem("Tenancy__BaseDomains__0", SettingKeys.Silo));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Ports_AgreeAcrossDeploymentsServicesPoliciesAndConfiguration(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);
        var silo = manifests.Deployment("rfpio-silo").Spec.Template.Spec.Containers.Single();
        var gateway = manifests.Deployment("rfpio-gateway").Spec.Template.Spec.Containers.Single();
        int Port(V1Container c, string name) => c.Ports.Single(p => p.Name == name).ContainerPort;
        var siloConfig = manifests.ConfigMap("rfpio-silo-config").Data;
        var gatewayConfig = manifests.ConfigMap("rfpio-gateway-config").Data;

        Assert.Equal((8080, 11111, 30000), (Port(silo, "http"), Port(silo, "silo"), Port(silo, "gateway")));
        Assert.Equal(Port(silo, "silo").ToString(System.Globalization.CultureInfo.InvariantCulture), siloConfig["Orleans__SiloPort"]);
        Assert.Equal(Port(silo, "gateway").ToString(System.Globalization.CultureInfo.InvariantCulture), siloConfig["Orleans__GatewayPort"]);
        Assert.Equal("http://+:8080", silo.Env.Single(e => e.Name == "Urls").Value);
        Assert.Equal("http://+:8080", gateway.Env.Single(e => e.Name == "Urls").Value);
        // The scraper's port: the one the management listener is set to, and the one the pod's annotation names.
        Assert.Equal($"http://+:{Port(gateway, "metrics")}", gatewayConfig["Edge__ManagementUrl"]);
        Assert.Equal(Port(gateway, "metrics").ToString(System.Globalization.CultureInfo.InvariantCulture),
            manifests.Deployment("rfpio-gateway").Spec.Template.Metadata.Annotations["prometheus.io/port"]);
        Assert.Equal(Port(silo, "http").ToString(System.Globalization.CultureInfo.InvariantCulture),
            manifests.Deployment("rfpio-silo").Spec.Template.Metadata.Annotations["prometheus.io/port"]);

        // The gateway's destination is the silos' headless service, on the silos' http port.
        var destination = new Uri(gatewayConfig["ReverseProxy__Clusters__silo__Destinations__silo__Address"]);
        var headless = manifests.All<V1Service>().Single(s => s.Metadata.Name == destination.Host);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.Equal(destination.Port, headless.Spec.Ports.Single().Port);
        Assert.Equal("true", gatewayConfig["Edge__ResolveDestinationsByDns"]);

        foreach (var service in manifests.All<V1Service>())
        {
            var pod = PodFor(manifests, service.Spec.Selector);
            Assert.All(service.Spec.Ports, p => Assert.Contains(pod.Containers.Single().Ports, c => c.Name == p.TargetPort.Value || c.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == p.TargetPort.Value));
        }
        foreach (var policy in manifests.All<V1NetworkPolicy>())
        {
            var pod = PodFor(manifests, policy.Spec.PodSelector.MatchLabels);
            var ports = pod.Containers.Single().Ports.Select(p => p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
            Assert.All(policy.Spec.Ingress.SelectMany(i => i.Ports), p => Assert.Contains(p.Port.Value, ports));
        }
        var ingress = manifests.All<V1Ingress>().Single();
        var backend = ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service;
        var gatewayService = manifests.All<V1Service>().Single(s => s.Metadata.Name == backend.Name);
        Assert.Contains(gatewayService.Spec.Ports, p => p.Name == backend.Port.Name);
        // One tenant domain throughout: the gateway's tenant hosts, the Ingress and its certificate, the console's URL.
        var domain = gatewayConfig["Tenancy__BaseDomains__0"];
        Assert.Equal($"*.{domain}", ingress.Spec.Rules.Single().Host);
        Assert.Equal([$"*.{domain}"], ingress.Spec.Tls.Single().Hosts);
        Assert.Equal(domain, siloConfig["Tenancy__BaseDomains__0"]);
        Assert.Equal($"https://{{tenant}}.{domain}/rfpserver/scim/v2", siloConfig["Tenancy__TenantUrlTemplate"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Selectors_MatchTheirPods(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);

        foreach (var deployment in manifests.All<V1Deployment>())
        {
            Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, deployment.Spec.Template.Metadata.Labels[l.Key]));
        }
        Assert.All(manifests.All<V1PodDisruptionBudget>(), pdb => PodFor(manifests, pdb.Spec.Selector.MatchLabels));
        Assert.All(manifests.All<V1NetworkPolicy>(), policy => PodFor(manifests, policy.Spec.PodSelector.MatchLabels));
        Assert.All(manifests.All<V1NetworkPolicy>().SelectMany(p => p.Spec.Ingress).SelectMany(i => i.FromProperty).Where(f => f.PodSelector is not null),
            from => PodFor(manifests, from.PodSelector.MatchLabels));
        var hpa = manifests.All<V2HorizontalPodAutoscaler>().Single();
        Assert.Contains(manifests.All<V1Deployment>(), d => d.Metadata.Name == hpa.Spec.ScaleTargetRef.Name);
        var silo = manifests.Deployment("rfpio-silo");
        Assert.Equal(silo.Spec.Template.Spec.ServiceAccountName, manifests.All<V1RoleBinding>().Single().Subjects.Single().Name);
        Assert.Equal(["delete", "get", "list", "watch"], manifests.All<V1Role>().Single().Rules.Single().Verbs.Order());
        var podLabels = silo.Spec.Template.Metadata.Labels;
        var env = silo.Spec.Template.Spec.Containers.Single().Env;
        Assert.Equal("metadata.labels['orleans/serviceId']", env.Single(e => e.Name == "ORLEANS_SERVICE_ID").ValueFrom.FieldRef.FieldPath);
        Assert.True(podLabels.ContainsKey("orleans/serviceId") && podLabels.ContainsKey("orleans/clusterId"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Pods_PinnedHardenedAndGracefullyStopped(string overlay)
    {
        var manifests = RenderedManifests.Render(overlay);

        foreach (var deployment in manifests.All<V1Deployment>())
        {
            var pod = deployment.Spec.Template.Spec;
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal("0", deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);
            foreach (var container in pod.Containers)
            {
                if (overlay == "prod")
                {
                    // A tag can be moved; a digest cannot.
                    Assert.Matches(@"^[^@]+/rfpio/(silo|gateway)@sha256:", container.Image);
                }
                else
                {
                    var tag = container.Image.Split('/')[^1].Split(':');
                    Assert.True(tag.Length == 2 && tag[1].Length > 0 && tag[1] != "latest", $"{container.Image} is not pinned by tag");
                }
                Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
                Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
                Assert.Contains("ALL", container.SecurityContext.Capabilities.Drop);
                Assert.NotNull(container.Resources.Requests["cpu"]);
                Assert.NotNull(container.Resources.Requests["memory"]);
                Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
                Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
            }
        }
        Assert.True(manifests.Deployment("rfpio-silo").Spec.Template.Spec.TerminationGracePeriodSeconds >= 60);
    }

    [Fact]
    public async Task Probes_PathsInTheManifests_AreServedByTheApps()
    {
        var manifests = RenderedManifests.Render("prod");
        var paths = manifests.All<V1Deployment>().ToDictionary(d => d.Metadata.Name, d => d.Spec.Template.Spec.Containers.Single())
            .ToDictionary(p => p.Key, p => new[] { p.Value.LivenessProbe, p.Value.ReadinessProbe, p.Value.StartupProbe }.Select(probe => probe.HttpGet.Path).Distinct().ToList());
        var root = AppContext.BaseDirectory;
        await using var silo = SiloHost.Build([$"--contentRoot={Path.Combine(root, "silo")}", "--Urls=http://127.0.0.1:0", "--Storage:Provider=Memory",
            "--Admin:ApiKey=k", "--Auth:TokenPepper=p", $"--Orleans:SiloPort={FreePorts.Next()}", $"--Orleans:GatewayPort={FreePorts.Next()}", "--Logging:LogLevel:Default=Warning"]);
        await silo.StartAsync();
        await using var gateway = GatewayHost.Build([$"--contentRoot={Path.Combine(root, "gateway")}", "--Urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            $"--ReverseProxy:Clusters:silo:Destinations:silo:Address={Address(silo)}"]);
        await gateway.StartAsync();
        using var http = new HttpClient();

        foreach (var (app, name) in new[] { (silo, "rfpio-silo"), (gateway, "rfpio-gateway") })
        {
            foreach (var path in paths[name])
            {
                var response = await http.GetAsync(new Uri(Address(app), path));
                Assert.True(response.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.ServiceUnavailable, $"{name} answers {path} with {(int)response.StatusCode}");
                Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            }
        }
        await gateway.StopAsync();
        await silo.StopAsync();
    }

    private static V1PodSpec PodFor(RenderedManifests manifests, IDictionary<string, string> selector) =>
        manifests.All<V1Deployment>().Single(d => selector.All(l => d.Spec.Template.Metadata.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Spec.Template.Spec;

    private static Uri Address(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
