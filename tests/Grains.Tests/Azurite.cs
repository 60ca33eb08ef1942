using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RfpioGateway.Tests.Shared;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Azurite from the repository's npm install (tools/azurite, installed by scripts/test.sh), on free loopback
/// ports, in memory, telemetry off; stopped with its whole process tree.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;

    private Azurite(Process process, int blob, int queue, int table)
    {
        _process = process;
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    public string ConnectionString { get; }

    public static async Task<Azurite> StartAsync()
    {
        var folder = FindToolFolder();
        var executable = Path.Combine(folder, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}; run 'npm ci --prefix tools/azurite' (scripts/test.sh does).");
        }
        var (blob, queue, table) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--extentMemoryLimit", "256",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blob, queue, table);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AcceptsAsync(table) || !await AcceptsAsync(blob))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await azurite.DisposeAsync();
                throw new InvalidOperationException("Azurite did not start listening within 60 seconds.");
            }
            await Task.Delay(50);
        }
        return azurite;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }


    private static string FindToolFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RfpioGateway.sln")))
            {
                return Path.Combine(directory.FullName, "tools", "azurite");
            }
        }
        throw new InvalidOperationException("Could not find the repository root (RfpioGateway.sln) above " + AppContext.BaseDirectory);
    }
}
