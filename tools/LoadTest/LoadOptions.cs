using System.Globalization;

namespace RfpioGateway.LoadTest;

/// <summary>What to run. Every loop is bounded by these numbers (and <see cref="Duration"/> when set).</summary>
public sealed record LoadOptions
{
    public Uri Target { get; init; } = new("http://127.0.0.1:8080");
    public Uri Admin { get; init; } = new("http://127.0.0.1:8081");
    public string AdminKey { get; init; } = "";

    /// <summary>Tenant hosts are <c>&lt;tenant&gt;.&lt;BaseDomain&gt;</c>, sent as the Host header to <see cref="Target"/>.</summary>
    public string BaseDomain { get; init; } = "localhost";

    public int Tenants { get; init; } = 10;
    public int UsersPerTenant { get; init; } = 100;
    public int IncrementalCycles { get; init; } = 1;

    /// <summary>Requests in flight per tenant (Entra ID runs a few in parallel per job).</summary>
    public int TenantConcurrency { get; init; } = 4;

    /// <summary>Requests in flight over all tenants.</summary>
    public int MaxConcurrency { get; init; } = 64;

    /// <summary>Requests per second per tenant; 0 is as fast as possible.</summary>
    public double Rate { get; init; }

    /// <summary>Tenants (the first ones) that flood: no rate limit and <see cref="NoisyConcurrency"/> in flight.</summary>
    public int NoisyTenants { get; init; }

    public int NoisyConcurrency { get; init; } = 32;

    /// <summary>Users of each noisy tenant (0: as many as the others).</summary>
    public int NoisyUsers { get; init; }

    public TimeSpan? Duration { get; init; }

    /// <summary>Run a push receiver and give every tenant a push stream to it; report event lag and loss.</summary>
    public bool PushReceiver { get; init; }

    /// <summary>The receiver answers 503 for this long after the first SET.</summary>
    public TimeSpan ReceiverFailFor { get; init; }

    /// <summary>How long to wait after the run for events still owed.</summary>
    public TimeSpan DrainFor { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>Groups per tenant, provisioned after the users (0: no group phase).</summary>
    public int GroupsPerTenant { get; init; }

    /// <summary>Members per group, added in PATCHes of 100 as Entra does.</summary>
    public int MembersPerGroup { get; init; } = 50;

    /// <summary>Whose group phase: Entra's (<c>entra</c>) or Okta's Group Push (<c>okta</c>).</summary>
    public string GroupDialect { get; init; } = "entra";
    public string Prefix { get; init; } = "lt" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);
    public string Output { get; init; } = "artifacts/loadtest";
    public bool Live { get; init; } = true;

    /// <summary>Keep the tenants this run created; by default they are offboarded once the report is written.</summary>
    public bool KeepTenants { get; init; }

    public const string Usage = """
        dotnet run -c Release --project tools/LoadTest -- [options]
          --target URL            gateway or silo (loopback only)          default http://127.0.0.1:8080
          --admin URL             a silo's operator API                    default http://127.0.0.1:8081
          --admin-key KEY | --admin-key-file PATH                          default src/Silo/data/admin-api-key
          --base-domain NAME      tenant hosts are <tenant>.NAME           default localhost
          --tenants K             tenants to set up and drive              default 10
          --users N               users per tenant (initial cycle)         default 100
          --cycles M              incremental cycles after the initial one default 1
          --tenant-concurrency C  requests in flight per tenant            default 4
          --max-concurrency X     requests in flight overall               default 64
          --rate R                requests/s per tenant, 0 = unlimited     default 0
          --noisy-tenants Q       the first Q tenants flood (no rate, --noisy-concurrency C in flight, --noisy-users N users)
          --groups G              groups per tenant after the users        default 0
          --group-members M       members per group (PATCHes of 100)       default 50
          --group-dialect D       entra (empty POST, Add/Remove) or okta (Group Push) default entra
          --push-receiver         run an RFC 8935 receiver, give each tenant a push stream to it, report lag and loss
                                  (the silo needs --Events:AllowLoopbackHttp=true)
          --receiver-fail-seconds S  the receiver answers 503 for S seconds after the first SET default 0
          --drain-seconds S       wait this long after the run for owed events default 180
          --duration SECONDS      stop starting requests after this long
          --prefix TEXT           tenant name prefix                       default lt<time>
          --out FOLDER            report.json and report.html              default artifacts/loadtest
          --no-live               no live progress (for logs)
          --keep-tenants          keep the tenants afterwards (by default they are offboarded once the report is written)
        """;

    public static LoadOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new LoadOptions();
        var keyFile = "src/Silo/data/admin-api-key";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            if (name == "--admin-key-file")
            {
                keyFile = Next();
                continue;
            }
            options = name switch
            {
                "--target" => options with { Target = new Uri(Next()) },
                "--admin" => options with { Admin = new Uri(Next()) },
                "--admin-key" => options with { AdminKey = Next() },
                "--base-domain" => options with { BaseDomain = Next() },
                "--tenants" => options with { Tenants = Int() },
                "--users" => options with { UsersPerTenant = Int() },
                "--cycles" => options with { IncrementalCycles = Int() },
                "--tenant-concurrency" => options with { TenantConcurrency = Int() },
                "--max-concurrency" => options with { MaxConcurrency = Int() },
                "--rate" => options with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--noisy-tenants" => options with { NoisyTenants = Int() },
                "--noisy-concurrency" => options with { NoisyConcurrency = Int() },
                "--noisy-users" => options with { NoisyUsers = Int() },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Int()) },
                "--groups" => options with { GroupsPerTenant = Int() },
                "--push-receiver" => options with { PushReceiver = true },
                "--receiver-fail-seconds" => options with { ReceiverFailFor = TimeSpan.FromSeconds(Int()) },
                "--drain-seconds" => options with { DrainFor = TimeSpan.FromSeconds(Int()) },
                "--group-members" => options with { MembersPerGroup = Int() },
                "--group-dialect" => options with { GroupDialect = Next() },
                "--prefix" => options with { Prefix = Next() },
                "--out" => options with { Output = Next() },
                "--no-live" => options with { Live = false },
                "--keep-tenants" => options with { KeepTenants = true },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        if (options.AdminKey.Length == 0 && File.Exists(keyFile))
        {
            options = options with { AdminKey = File.ReadAllText(keyFile).Trim() };
        }
        options.Validate();
        return options;
    }

    /// <summary>Load goes to this machine only, and every count is bounded.</summary>
    public void Validate()
    {
        foreach (var uri in new[] { Target, Admin })
        {
            if (!uri.IsLoopback)
            {
                throw new ArgumentException($"{uri} is not a loopback address: the load test only drives this machine.");
            }
        }
        if (AdminKey.Length == 0)
        {
            throw new ArgumentException("No operator API key: pass --admin-key or --admin-key-file.");
        }
        if (Tenants is < 1 or > 100_000 || UsersPerTenant is < 1 or > 1_000_000 || IncrementalCycles is < 0 or > 100
            || TenantConcurrency < 1 || MaxConcurrency < 1 || NoisyTenants < 0 || NoisyTenants > Tenants || Rate < 0
            || GroupsPerTenant is < 0 or > 100_000 || MembersPerGroup is < 0 or > 1_000_000)
        {
            throw new ArgumentException("A count is out of range (tenants 1–100000, users 1–1000000, cycles 0–100, groups 0–100000, concurrency ≥ 1).");
        }
        if (GroupDialect is not ("entra" or "okta"))
        {
            throw new ArgumentException($"--group-dialect is entra or okta, not '{GroupDialect}'.");
        }
    }
}
