using Npgsql;

namespace RfpioGateway.Storage.Postgres;

/// <summary>
/// The service's tables, created and upgraded by the service itself: numbered scripts applied in order, each
/// once, recorded in <c>rfpio_schema</c>. Every silo runs the upgrade as it starts; an advisory lock held for the
/// transaction makes silos that start together take turns, and the scripts commit with their version row or not at
/// all (PostgreSQL's DDL is transactional).
/// </summary>
internal static class PostgresSchema
{
    // Any constant does, as long as every revision uses the same one: it names this service's upgrade lock.
    private const long UpgradeLock = 0x7266_7069_6f73_6368;

    // Keys and ids compare byte by byte ("C"), whatever the database's default collation: paging by id
    // (members after a user id) must order exactly as the grains do (ordinal), and "C" is the cheapest to compare.
    private const string V1 = """
        CREATE TABLE rfpio_silos (
            cluster_id  text COLLATE "C" NOT NULL,
            silo        text COLLATE "C" NOT NULL,
            etag        bigint NOT NULL,
            status      integer NOT NULL,
            i_am_alive  timestamptz NOT NULL,
            entry       bytea NOT NULL,
            PRIMARY KEY (cluster_id, silo)
        );
        CREATE TABLE rfpio_silo_table_version (
            cluster_id  text COLLATE "C" PRIMARY KEY,
            version     integer NOT NULL
        );
        CREATE TABLE rfpio_grain_state (
            service_id  text COLLATE "C" NOT NULL,
            grain_id    text COLLATE "C" NOT NULL,
            state_name  text COLLATE "C" NOT NULL,
            version     bigint NOT NULL,
            data        bytea NOT NULL,
            PRIMARY KEY (service_id, grain_id, state_name)
        );
        CREATE TABLE rfpio_directory (
            service_id  text COLLATE "C" NOT NULL,
            shard       text COLLATE "C" NOT NULL,
            resource_id text COLLATE "C" NOT NULL,
            summary     text NOT NULL,
            PRIMARY KEY (service_id, shard, resource_id)
        );
        CREATE TABLE rfpio_activity (
            seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            service_id    text COLLATE "C" NOT NULL,
            tenant        text COLLATE "C" NOT NULL,
            time          bigint NOT NULL,
            operation     text NOT NULL,
            outcome       text NOT NULL,
            status        integer NOT NULL,
            scim_type     text,
            resource_type text,
            resource_id   text,
            user_name     text,
            user_agent    text,
            duration_ms   double precision NOT NULL,
            trace_id      text,
            query         text
        );
        CREATE INDEX rfpio_activity_by_tenant ON rfpio_activity (service_id, tenant, seq);
        CREATE INDEX rfpio_activity_by_time ON rfpio_activity (service_id, tenant, time);
        CREATE TABLE rfpio_events (
            service_id  text COLLATE "C" NOT NULL,
            tenant      text COLLATE "C" NOT NULL,
            seq         bigint NOT NULL,
            key         text COLLATE "C" NOT NULL,
            time        bigint NOT NULL,
            body        text NOT NULL,
            PRIMARY KEY (service_id, tenant, seq)
        );
        CREATE UNIQUE INDEX rfpio_events_key ON rfpio_events (service_id, tenant, key);
        CREATE TABLE rfpio_members (
            service_id  text COLLATE "C" NOT NULL,
            tenant      text COLLATE "C" NOT NULL,
            group_id    text COLLATE "C" NOT NULL,
            user_id     text COLLATE "C" NOT NULL,
            display     text,
            PRIMARY KEY (service_id, tenant, group_id, user_id)
        );
        CREATE INDEX rfpio_members_by_user ON rfpio_members (service_id, tenant, user_id, group_id);
        CREATE TABLE rfpio_member_counts (
            service_id  text COLLATE "C" NOT NULL,
            tenant      text COLLATE "C" NOT NULL,
            group_id    text COLLATE "C" NOT NULL,
            members     bigint NOT NULL,
            PRIMARY KEY (service_id, tenant, group_id)
        );
        """;

    /// <summary>Script N brings the schema from version N-1 to N. Append only: a released script never changes.</summary>
    public static IReadOnlyList<string> Scripts { get; } = [V1];

    public static int Latest => Scripts.Count;

    /// <summary>Applies the scripts the database has not had; returns the version it was at before.</summary>
    public static async Task<int> UpgradeAsync(NpgsqlDataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await source.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({UpgradeLock})");
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS rfpio_schema (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())");
        await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM rfpio_schema", connection);
        var current = (int)(await read.ExecuteScalarAsync())!;
        // A database already past this build (a rollback during a rolling upgrade) is used as it is: scripts only
        // add, so what this build reads and writes is still there.
        for (var version = current + 1; version <= Latest; version++)
        {
            await ExecuteAsync(connection, Scripts[version - 1]);
            await using var record = new NpgsqlCommand("INSERT INTO rfpio_schema (version) VALUES (@v)", connection);
            record.Parameters.AddWithValue("v", version);
            await record.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return current;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
