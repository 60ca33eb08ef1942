using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RfpioGateway.Tests.Shared;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Azurite from the repository's npm install (tools/azurite, installed by scripts/test.sh), on free loopback
/// ports, in memory, telemetry off; stopped with its whole process tree. <see cref="StartWithEntraIdAsync"/> runs it
/// the way a storage account without shared keys behaves: HTTPS only (a self-signed certificate made here) and
/// Azurite's "basic" OAuth, which checks a bearer token's issuer, audience and lifetime (not its signature).
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly Process _process;
    private readonly string? _certificateFolder;

    private Azurite(Process process, int blob, int queue, int table, X509Certificate2? certificate, string? certificateFolder)
    {
        _process = process;
        _certificateFolder = certificateFolder;
        Certificate = certificate;
        TableServiceUri = new Uri($"https://127.0.0.1:{table}/devstoreaccount1");
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
    }

    /// <summary>Over plain HTTP with the account key; only for an instance from <see cref="StartAsync"/>.</summary>
    public string ConnectionString { get; }

    /// <summary>The table endpoint over HTTPS; only for an instance from <see cref="StartWithEntraIdAsync"/>.</summary>
    public Uri TableServiceUri { get; }

    /// <summary>The certificate the HTTPS instance serves, for a client to trust it and nothing else.</summary>
    public X509Certificate2? Certificate { get; }

    public static Task<Azurite> StartAsync() => StartAsync(entraId: false);

    public static Task<Azurite> StartWithEntraIdAsync() => StartAsync(entraId: true);

    /// <summary>Azurite keeping its data in <paramref name="location"/> (for data an earlier revision wrote) instead of memory.</summary>
    public static Task<Azurite> StartOnAsync(string location) => StartAsync(entraId: false, location);

    private static async Task<Azurite> StartAsync(bool entraId, string? location = null)
    {
        // A free port can be taken by another test's host between our probe and Azurite's bind (Azurite then exits
        // at once); such a start is tried again on new ports. A start that hangs is not.
        for (var attempt = 1; ; attempt++)
        {
            var started = await TryStartAsync(entraId, location);
            if (started.Azurite is { } azurite)
            {
                return azurite;
            }
            if (!started.Exited || attempt == 3)
            {
                throw new InvalidOperationException(started.Exited
                    ? $"Azurite exited at start {attempt} times (ports taken?)."
                    : "Azurite did not start listening within 60 seconds.");
            }
        }
    }

    private static async Task<(Azurite? Azurite, bool Exited)> TryStartAsync(bool entraId, string? location)
    {
        var folder = Path.Combine(Repository.Root(), "tools", "azurite");
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
            "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var argument in location is null ? ["--inMemoryPersistence", "--extentMemoryLimit", "256"] : new[] { "--location", location })
        {
            start.ArgumentList.Add(argument);
        }
        X509Certificate2? certificate = null;
        string? certificateFolder = null;
        if (entraId)
        {
            certificateFolder = Path.Combine(Path.GetTempPath(), "rfpio-azurite-certs", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(certificateFolder);
            certificate = WriteSelfSignedCertificate(certificateFolder);
            foreach (var argument in new[] { "--cert", Path.Combine(certificateFolder, "cert.pem"), "--key", Path.Combine(certificateFolder, "key.pem"), "--oauth", "basic" })
            {
                start.ArgumentList.Add(argument);
            }
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blob, queue, table, certificate, certificateFolder);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await AcceptsAsync(table) || !await AcceptsAsync(blob))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var exited = process.HasExited;
                await azurite.DisposeAsync();
                return (null, exited);
            }
            await Task.Delay(50);
        }
        return (azurite, false);
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        Certificate?.Dispose();
        if (_certificateFolder is not null)
        {
            Directory.Delete(_certificateFolder, recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    private static X509Certificate2 WriteSelfSignedCertificate(string folder)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return certificate;
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
}
