using System.Diagnostics;
using Npgsql;

namespace RfpioGateway.Storage.Postgres;

/// <summary>
/// The cluster's PostgreSQL database, shared by every store of a silo: one pooled data source, and the schema
/// brought up to date once per process before the first statement runs (<see cref="PostgresSchema"/>).
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly Lock _lock = new();
    private Task? _schema;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _source = NpgsqlDataSource.Create(connectionString);
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
}
