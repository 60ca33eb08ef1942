using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace RfpioGateway.Storage.Postgres;

/// <summary>
/// The cluster's PostgreSQL database, shared by every store of a silo: one pooled data source, and the schema
/// brought up to date once per process before the first statement runs (<see cref="PostgresSchema"/>).
/// </summary>
internal sealed partial class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly Lock _lock = new();
    private Task? _schema;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!ChoosesAutoPrepare().IsMatch(connectionString))
        {
            // The stores run a few dozen distinct statements over and over: prepared, PostgreSQL parses and plans each
            // once per connection instead of on every call (docs/benchmarks.md has the server CPU it saves). An operator
            // behind a PgBouncer older than 1.21 in transaction mode sets Max Auto Prepare=0.
            settings.MaxAutoPrepare = 64;
        }
        _source = NpgsqlDataSource.Create(settings.ConnectionString);
    }

    /// <summary>Brings the schema up to date (once per process; again after a failed try).</summary>
    public Task EnsureSchemaAsync()
    {
        lock (_lock)
        {
            // A database that was unreachable once must not fail every later call: a failed upgrade is tried again.
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
            {
                _schema = PostgresSchema.UpgradeAsync(_source);
            }
            return _schema;
        }
    }

    /// <summary>An open connection from the pool, after the schema is current.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var schema = _schema;
        if (schema is not { IsCompletedSuccessfully: true })
        {
            await EnsureSchemaAsync();
        }
        return await _source.OpenConnectionAsync(cancellationToken);
    }

    /// <summary>A client span for one store operation, named like the SQLite ones (<c>postgres upsert directory row</c>).</summary>
    public static Activity? StartActivity(string operation, string what)
    {
        var activity = StorageTelemetry.Source.StartActivity($"postgres {operation} {what}", ActivityKind.Client);
        activity?.SetTag("db.system.name", "postgresql");
        activity?.SetTag("db.operation.name", operation);
        return activity;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();

    [GeneratedRegex(@"max\s*auto\s*prepare\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex ChoosesAutoPrepare();
}
