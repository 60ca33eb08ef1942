using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace RfpioGateway.Grains.Tests;

/// <summary>
/// Grain storage for tests: one process-wide table shared by every silo (so it outlives a killed silo, as real
/// storage does), ETag-checked like the real providers, and able to fail a chosen write to cut an operation
/// between two of its steps. The one fault we cannot cause with real storage on demand. Given an inner storage
/// (PostgreSQL), it only counts and fails, and the rows are the inner storage's.
/// </summary>
public sealed class FaultyGrainStorage(Serializer serializer, IGrainStorage? inner = null) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (long Version, byte[] Data)> Rows = new();
    private static readonly ConcurrentDictionary<string, FaultPlan> Plans = new();

    /// <summary>Fails the <paramref name="failAt"/>-th write or clear (1-based) of grains whose key starts with the tenant.</summary>
    public static FaultPlan Arm(string tenant, int failAt) => Plans[tenant] = new FaultPlan(failAt);

    /// <summary>Stops failing or counting; returns the plan, whose <see cref="FaultPlan.Seen"/> counts what happened.</summary>
    public static FaultPlan? Disarm(string tenant) => Plans.TryRemove(tenant, out var plan) ? plan : null;

    /// <summary>Counts writes and clears for a tenant without failing any.</summary>
    public static FaultPlan Count(string tenant) => Plans[tenant] = new FaultPlan(int.MaxValue);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (inner is not null)
        {
            return inner.ReadStateAsync(stateName, grainId, grainState);
        }
        if (Rows.TryGetValue(Key(stateName, grainId), out var row))
        {
            grainState.State = serializer.Deserialize<T>(row.Data);
            grainState.ETag = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        MaybeFail(grainId, stateName, "write");
        if (inner is not null)
        {
            return inner.WriteStateAsync(stateName, grainId, grainState);
        }
        var key = Key(stateName, grainId);
        var data = serializer.SerializeToArray(grainState.State);
        lock (Rows)
        {
            var current = Rows.TryGetValue(key, out var row) ? row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"ETag mismatch for {key}", current ?? "", grainState.ETag ?? "");
            }
            var version = (row.Version) + 1;
            Rows[key] = (version, data);
            grainState.ETag = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        MaybeFail(grainId, stateName, "clear");
        if (inner is not null)
        {
            return inner.ClearStateAsync(stateName, grainId, grainState);
        }
        Rows.TryRemove(Key(stateName, grainId), out _);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static void MaybeFail(GrainId grainId, string stateName, string operation) =>
        MaybeFail(grainId.Key.ToString()!, $"{stateName} of {grainId}", operation);

    /// <summary>Counts a write of a grain (or directory row) under <paramref name="key"/>, and fails it when its turn comes.</summary>
    internal static void MaybeFail(string key, string what, string operation)
    {
        foreach (var (tenant, plan) in Plans)
        {
            if (key.StartsWith(tenant + "/", StringComparison.Ordinal) || key == tenant)
            {
                if (plan.Next() == plan.FailAt)
                {
                    throw new InjectedStorageFaultException($"Injected failure of {operation} #{plan.FailAt} ({what}).");
                }
            }
        }
    }

    private static string Key(string stateName, GrainId grainId) => $"{grainId}|{stateName}";

    public sealed class FaultPlan(int failAt)
    {
        public int FailAt { get; } = failAt;

        private int _seen;

        public int Seen => Volatile.Read(ref _seen);

        internal int Next() => Interlocked.Increment(ref _seen);
    }
}
