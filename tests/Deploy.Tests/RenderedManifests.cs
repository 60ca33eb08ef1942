using System.Diagnostics;
using k8s;
using k8s.Models;

namespace RfpioGateway.Deploy.Tests;

/// <summary>An overlay rendered by <c>kubectl kustomize</c> and loaded with the Kubernetes client's models, strictly: an unknown field fails.</summary>
public sealed class RenderedManifests
{
    private RenderedManifests(string overlay, IReadOnlyList<object> objects)
    {
        Overlay = overlay;
        Objects = objects;
    }

    public string Overlay { get; }

    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public V1Deployment Deployment(string name) => All<V1Deployment>().Single(d => d.Metadata.Name == name);

    public V1ConfigMap ConfigMap(string name) => All<V1ConfigMap>().Single(c => c.Metadata.Name == name);

    public static RenderedManifests Render(string overlay) => RenderPath(overlay, Path.Combine(Repository.Root(), "deploy", "k8s", "overlays", overlay));

    /// <summary>Renders an overlay at any path (a copy of deploy/k8s with an operator's values filled in).</summary>
    public static RenderedManifests RenderPath(string overlay, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("kubectl", ["kustomize", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("kubectl did not start (scripts/test.sh installs it).");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {overlay} failed: {error}");
        return new RenderedManifests(overlay, KubernetesYaml.LoadAllFromString(output.Result, strict: true));
    }
}
