using System.Text.RegularExpressions;
using k8s.Models;

namespace RfpioGateway.Deploy.Tests;

/// <summary>
/// The commands of docs/operations.md's Kubernetes section, checked against the rendered overlays: the namespaces,
/// Secrets and their keys, the TLS Secret, deployments and ports they name exist there, and each namespace is
/// created before anything is put in it. An operator following the guide in order meets no command that cannot work.
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    private static List<string> Commands()
    {
        var guide = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "operations.md"));
        var start = guide.IndexOf("## Kubernetes", StringComparison.Ordinal);
        var section = guide[start..];
        var next = section.IndexOf("\n## ", 5, StringComparison.Ordinal);
        section = next < 0 ? section : section[..next];
        var commands = new List<string>();
        foreach (Match block in BashBlock().Matches(section))
        {
            // Join continued lines: one command per entry.
            commands.AddRange(block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("kubectl", StringComparison.Ordinal) || l.Contains("kubectl -n", StringComparison.Ordinal)));
        }
        return commands;
    }

    private static readonly Dictionary<string, RenderedManifests> ByNamespace = new[] { "dev", "prod" }
        .Select(RenderedManifests.Render).ToDictionary(m => m.All<V1Namespace>().Single().Metadata.Name);

    [Fact]
    public void Guide_KubectlCommands_NameWhatTheRenderedOverlaysHave()
    {
        var commands = Commands();
        Assert.True(commands.Count >= 10, $"found only {commands.Count} kubectl commands in the guide");
        var created = new HashSet<string>();
        var secretKeys = new Dictionary<string, HashSet<string>>();
        foreach (var command in commands)
        {
            if (NamespaceFile().Match(command) is { Success: true } file)
            {
                var path = Path.Combine(Repository.Root(), file.Groups[1].Value);
                Assert.True(File.Exists(path), $"{command}: no {file.Groups[1].Value}");
                created.Add(NamespaceName().Match(File.ReadAllText(path)).Groups[1].Value);
                continue;
            }
            if (Overlay().Match(command) is { Success: true } overlay)
            {
                Assert.True(Directory.Exists(Path.Combine(Repository.Root(), "deploy", "k8s", "overlays", overlay.Groups[1].Value)), command);
            }
            if (Namespace().Match(command) is not { Success: true } ns || !ByNamespace.TryGetValue(ns.Groups[1].Value, out var manifests))
            {
                continue;   // another namespace's (the ingress controller's) or no namespace
            }
            var name = ns.Groups[1].Value;
            if (GenericSecret().Match(command) is { Success: true } generic)
            {
                Assert.True(created.Contains(name), $"{command}: namespace {name} is not created before it");
                Assert.Equal("rfpio-secrets", generic.Groups[1].Value);
                secretKeys[name] = [.. Literal().Matches(command).Select(m => m.Groups[1].Value)];
            }
            if (TlsSecret().Match(command) is { Success: true } tls)
            {
                Assert.True(created.Contains(name), $"{command}: namespace {name} is not created before it");
                Assert.Equal(manifests.All<V1Ingress>().Single().Spec.Tls.Single().SecretName, tls.Groups[1].Value);
            }
            foreach (Match deployment in Deployment().Matches(command))
            {
                Assert.Contains(manifests.All<V1Deployment>(), d => d.Metadata.Name == deployment.Groups[1].Value);
            }
            if (PortForward().Match(command) is { Success: true } forward)
            {
                var container = manifests.Deployment(forward.Groups[1].Value).Spec.Template.Spec.Containers.Single();
                Assert.Contains(container.Ports, p => p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == forward.Groups[2].Value);
            }
        }
        // Each overlay's Secret gets exactly the keys its pods read from it.
        foreach (var (name, manifests) in ByNamespace)
        {
            var read = manifests.All<V1Deployment>().SelectMany(d => d.Spec.Template.Spec.Containers).SelectMany(c => c.Env ?? [])
                .Where(e => e.ValueFrom?.SecretKeyRef is { Name: "rfpio-secrets" }).Select(e => e.ValueFrom.SecretKeyRef.Key).ToHashSet();
            Assert.True(secretKeys.TryGetValue(name, out var documented), $"the guide creates no rfpio-secrets in {name}");
            Assert.Equal(read.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
        }
    }

    [GeneratedRegex(@"```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();

    [GeneratedRegex(@"kubectl apply -f (deploy/k8s/overlays/\w+/namespace\.yaml)")]
    private static partial Regex NamespaceFile();

    [GeneratedRegex(@"^\s*name:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"(?:kustomize|apply -k) deploy/k8s/overlays/(\w+)")]
    private static partial Regex Overlay();

    [GeneratedRegex(@"kubectl -n (\S+)")]
    private static partial Regex Namespace();

    [GeneratedRegex(@"create secret generic (\S+)")]
    private static partial Regex GenericSecret();

    [GeneratedRegex(@"--from-literal=([\w-]+)=")]
    private static partial Regex Literal();

    [GeneratedRegex(@"create secret tls (\S+)")]
    private static partial Regex TlsSecret();

    [GeneratedRegex(@"deploy/(rfpio-[\w-]+)")]
    private static partial Regex Deployment();

    [GeneratedRegex(@"port-forward deploy/(\S+) \d+:(\d+)")]
    private static partial Regex PortForward();
}
