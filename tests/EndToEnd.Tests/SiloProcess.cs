using System.Collections.Concurrent;
using System.Diagnostics;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// A silo as its own process (the Release or Debug build of src/Silo next to these tests), so a test can SIGKILL it
/// the way a node dies: no graceful shutdown, no goodbye to the cluster. Its output is kept, for failure messages and
/// for tests that count what it logged.
/// </summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SiloProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    public static SiloProcess Start(IEnumerable<string> settings)
    {
        var root = Repository.Root();
        // tests/EndToEnd.Tests/bin/<Configuration>/net10.0/: the silo was built with the same configuration.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(root, "src", "Silo", "bin", configuration, "net10.0", "RfpioGateway.Silo.dll");
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var argument in new[] { dll, $"--contentRoot={Path.Combine(root, "src", "Silo")}", $"--Urls=http://127.0.0.1:{port}" }.Concat(settings.Select(s => "--" + s)))
        {
            start.ArgumentList.Add(argument);
        }
        return new SiloProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async Task WaitUntilReadyAsync(HttpClient http)
    {
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The silo exited with {_process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/health/ready"));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, seconds: 120, because: "the silo did not become ready");
    }

    /// <summary>SIGKILL: the process ends at once, as when a node or a pod dies.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public string Output => string.Join(Environment.NewLine, _output.TakeLast(40));

    public int LinesContaining(params string[] parts) => _output.Count(line => parts.All(p => line.Contains(p, StringComparison.Ordinal)));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
    }
}
