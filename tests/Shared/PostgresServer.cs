using System.Diagnostics;
using Npgsql;

namespace RfpioGateway.Tests.Shared;

/// <summary>
/// A real PostgreSQL for one test fixture: <c>initdb</c> into a new temporary folder, the server on a free loopback
/// port (TCP only, trust authentication), one database, and everything deleted on dispose. PostgreSQL refuses to run
/// as root, so where the tests are root the server runs as the <c>postgres</c> account (else <c>nobody</c>) through
/// <c>setpriv</c>, which execs: the process we hold is the server itself, and killing it is enough.
/// The binaries: <c>RFPIO_POSTGRES_BIN</c>, else PATH, else Debian's <c>/usr/lib/postgresql/N/bin</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private PostgresServer(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=rfpio;Pooling=true;Timeout=30";
    }

    public int Port { get; }

    /// <summary>For database <c>rfpio</c>, created at start.</summary>
    public string ConnectionString { get; }

    public static Task<PostgresServer> StartAsync() => StartAsync(tls: null);

    /// <summary>
    /// A server that also speaks TLS with a certificate for 127.0.0.1 issued by a CA made here; the CA's PEM is at
    /// <see cref="CaCertificatePath"/> for clients that verify (<c>SSL Mode=VerifyFull;Root Certificate=…</c>).
    /// </summary>
    public static Task<PostgresServer> StartWithTlsAsync() => StartAsync(tls: true);

    /// <summary>The CA that issued the server's certificate (a server from <see cref="StartWithTlsAsync"/> only).</summary>
    public string CaCertificatePath => Path.Combine(_folder, "ca.crt");

    private static async Task<PostgresServer> StartAsync(bool? tls)
    {
        var bin = BinFolder();
        var owner = Environment.UserName == "root" ? (Exists("postgres") ? "postgres" : "nobody") : null;
        var folder = Path.Combine(Path.GetTempPath(), "rfpio-postgres", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (owner is not null)
        {
            await RunAsAsync(null, "chown", owner, folder);
        }
        await RunAsAsync(owner, Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-locale", "--no-sync");
        string[] tlsSettings = [];
        if (tls == true)
        {
            WriteCertificates(folder);
            if (owner is not null)
            {
                await RunAsAsync(null, "chown", owner, Path.Combine(folder, "server.key"), Path.Combine(folder, "server.crt"));
            }
            tlsSettings = ["-c", "ssl=on", "-c", $"ssl_cert_file={Path.Combine(folder, "server.crt")}", "-c", $"ssl_key_file={Path.Combine(folder, "server.key")}"];
        }
        // A free port can be taken between our probe and the server's bind; such a start is tried again.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            string[] arguments = ["-D", Path.Combine(folder, "data"), "-h", "127.0.0.1", "-p", $"{port}",
                "-k", folder, "-c", "max_connections=400", "-c", "shared_buffers=256MB", .. tlsSettings];
            var process = Start(owner, Path.Combine(bin, "postgres"), arguments);
            var server = new PostgresServer(process, folder, port);
            if (await server.WaitUntilReadyAsync())
            {
                await server.ExecuteAsync("postgres", "CREATE DATABASE rfpio");
                return server;
            }
            var exited = process.HasExited;
            await server.StopAsync();
            if (!exited || attempt == 3)
            {
                Directory.Delete(folder, recursive: true);
                throw new InvalidOperationException(exited ? $"PostgreSQL exited at start {attempt} times (ports taken?)." : "PostgreSQL did not accept connections within 60 seconds.");
            }
        }
    }

    /// <summary>Runs <paramref name="sql"/> in <paramref name="database"/> as the superuser.</summary>
    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A connection string for another database on this server, created now (for tests that need a clean one).</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await ExecuteAsync("postgres", $"CREATE DATABASE {name}");
        return ConnectionString.Replace("Database=rfpio", $"Database={name}", StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file the dying server still held; the folder is in the temp directory.
        }
    }

    private async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_process.HasExited)
        {
            // SIGKILL: the data is thrown away, so nothing needs a clean shutdown, and the backends follow their
            // postmaster within a moment.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task<bool> WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                await ExecuteAsync("postgres", "SELECT 1");
                return true;
            }
            catch (Exception exception) when (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                await Task.Delay(50);
            }
        }
        return false;
    }

    /// <summary>A CA and a server certificate it signed for 127.0.0.1; the key readable by its owner only, as PostgreSQL demands.</summary>
    private static void WriteCertificates(string folder)
    {
        using var caKey = System.Security.Cryptography.RSA.Create(2048);
        var caRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=rfpio test CA", caKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        // The server's validity must lie inside the CA's: one clock reading for both.
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
        using var serverKey = System.Security.Cryptography.RSA.Create(2048);
        var serverRequest = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=127.0.0.1", serverKey, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        using var server = serverRequest.Create(ca, now.AddMinutes(-1), now.AddDays(1), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(folder, "ca.crt"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "server.crt"), server.ExportCertificatePem());
        var key = Path.Combine(folder, "server.key");
        File.WriteAllText(key, serverKey.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static string BinFolder()
    {
        if (Environment.GetEnvironmentVariable("RFPIO_POSTGRES_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(folder => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "postgres")));
        if (onPath is not null)
        {
            return onPath;
        }
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).Order().LastOrDefault()
            : null;
        return debian ?? throw new InvalidOperationException(
            "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): apt-get install postgresql, or set RFPIO_POSTGRES_BIN (scripts/test.sh installs it).");
    }

    private static bool Exists(string account) => File.ReadLines("/etc/passwd").Any(line => line.StartsWith(account + ":", StringComparison.Ordinal));

    private static Process Start(string? owner, string program, params string[] arguments) => Start(owner, _ => { }, program, arguments);

    private static Process Start(string? owner, Action<string> output, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(owner is null ? program : "setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (owner is not null)
        {
            foreach (var argument in new[] { $"--reuid={owner}", $"--regid={Group(owner)}", "--clear-groups", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, line) => output(line.Data ?? "");
        process.ErrorDataReceived += (_, line) => output(line.Data ?? "");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsAsync(string? owner, string program, params string[] arguments)
    {
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = Start(owner, output.Enqueue, program, arguments);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with {process.ExitCode}: {string.Join('\n', output)}");
        }
    }

    // The account's primary group, from /etc/passwd (the fourth field).
    private static string Group(string account) =>
        File.ReadLines("/etc/passwd").First(line => line.StartsWith(account + ":", StringComparison.Ordinal)).Split(':')[3];
}
