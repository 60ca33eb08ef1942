using Microsoft.Extensions.Configuration;

namespace RfpioGateway.Storage;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    /// <summary><c>Sqlite</c> (default, one node), <c>AzureStorage</c> or <c>Postgres</c> (clusters), or <c>Memory</c> (tests only).</summary>
    public string Provider { get; set; } = "Sqlite";

    public SqliteSettings Sqlite { get; set; } = new();

    public AzureStorageSettings AzureStorage { get; set; } = new();

    public PostgresSettings Postgres { get; set; } = new();

    /// <summary>The provider named by <see cref="Provider"/>; an unknown name refuses to start.</summary>
    public StorageKind Kind => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => StorageKind.Sqlite,
        "azurestorage" => StorageKind.AzureStorage,
        "postgres" or "postgresql" => StorageKind.Postgres,
        "memory" => StorageKind.Memory,
        _ => throw new InvalidOperationException($"Storage:Provider '{Provider}' is not one of Sqlite, AzureStorage, Postgres, Memory."),
    };

    /// <summary>Several silos share the store: each must be given the same secrets rather than make its own.</summary>
    public bool IsCluster => Kind is StorageKind.AzureStorage or StorageKind.Postgres;

    public static StorageOptions From(IConfiguration configuration) =>
        configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();

    /// <summary>The SQLite file, a relative path taken under <paramref name="contentRootPath"/>.</summary>
    public string SqlitePath(string contentRootPath) => System.IO.Path.GetFullPath(Sqlite.Path, contentRootPath);

    public sealed class SqliteSettings
    {
        public string Path { get; set; } = "data/rfpio-gateway.db";
    }

    /// <summary>Exactly one of the two: an account key in a connection string, or the table endpoint and an Entra ID identity.</summary>
    public sealed class AzureStorageSettings
    {
        public string? ConnectionString { get; set; }

        /// <summary>
        /// The account's table endpoint, e.g. <c>https://account.table.core.windows.net/</c>. The silo signs in with
        /// <c>DefaultAzureCredential</c> (AKS workload identity, a managed identity, or a developer's az login); the
        /// identity needs "Storage Table Data Contributor" on the account.
        /// </summary>
        public Uri? TableServiceUri { get; set; }
    }

    public sealed class PostgresSettings
    {
        /// <summary>
        /// An Npgsql connection string, e.g. <c>Host=db;Database=rfpio;Username=rfpio;Password=…;SSL Mode=VerifyFull</c>.
        /// Each silo keeps up to <c>Maximum Pool Size</c> connections (Npgsql's default 100).
        /// </summary>
        public string? ConnectionString { get; set; }
    }
}
