using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using RfpioGateway.Storage.ActivityLog;

namespace RfpioGateway.TenantAdmin.Activity;

/// <summary>
/// Takes activity records off the request path: <see cref="Record"/> only puts the record in a bounded in-memory
/// buffer, and a background loop writes what has gathered every <c>Activity:FlushMilliseconds</c> in one batch.
/// A crash loses at most what the buffer held (one flush interval, at most <c>Activity:BufferCapacity</c>
/// records); a full buffer drops new records rather than slow requests down, and counts them. Each tenant is
/// trimmed to its retention at most once a minute.
/// </summary>
internal sealed partial class ActivityRecorder : BackgroundService
{
    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(1);

    private readonly Channel<ActivityRecord> _buffer;
    private readonly IActivityStore _store;
    private readonly ActivityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ActivityRecorder> _logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastTrim = new();
    private long _dropped;
    private DateTimeOffset _lastSweep;

    public ActivityRecorder(IActivityStore store, IOptions<ActivityOptions> options, TimeProvider time, ILogger<ActivityRecorder> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _buffer = Channel.CreateBounded<ActivityRecord>(new BoundedChannelOptions(Math.Max(1, _options.BufferCapacity))
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = false,
        }, _ => Interlocked.Increment(ref _dropped));
    }

    public bool Enabled => _options.Enabled;

    /// <summary>Records dropped because the buffer was full since start.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(ActivityRecord record)
    {
        if (_options.Enabled)
        {
            _buffer.Writer.TryWrite(record);
        }
    }

    /// <summary>Writes everything buffered now (tests, and shutdown).</summary>
    public async Task FlushAsync()
    {
        var batch = new List<ActivityRecord>();
        while (_buffer.Reader.TryRead(out var record))
        {
            batch.Add(record);
        }
        var now = _time.GetUtcNow();
        if (batch.Count > 0)
        {
            await _store.AppendAsync(batch);
            foreach (var tenant in batch.Select(r => r.Tenant).Distinct())
            {
                if (_lastTrim.TryGetValue(tenant, out var last) && now - last < TrimEvery)
                {
                    continue;
                }
                _lastTrim[tenant] = now;
                await _store.TrimAsync(tenant, _options.RetainCount, now.AddDays(-_options.RetainDays));
            }
        }
        ForgetQuietTenants(now);
    }

    /// <summary>Tenants currently remembered for trimming (tests).</summary>
    internal int RememberedTenants => _lastTrim.Count;

    /// <summary>
    /// Tenants that stopped calling are trimmed when they call again. Forgetting them, also when no records arrive,
    /// keeps this map to the tenants active in the last few minutes, so an idle silo holds nothing per tenant.
    /// </summary>
    private void ForgetQuietTenants(DateTimeOffset now)
    {
        if (_lastTrim.IsEmpty || now - _lastSweep < TrimEvery)
        {
            return;
        }
        _lastSweep = now;
        foreach (var (tenant, last) in _lastTrim)
        {
            if (now - last > TrimEvery * 2)
            {
                _lastTrim.TryRemove(tenant, out _);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(Math.Max(10, _options.FlushMilliseconds));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await FlushSafelyAsync();
        }
        await FlushSafelyAsync(); // graceful shutdown keeps what is buffered
    }

    private async Task FlushSafelyAsync()
    {
        try
        {
            await FlushAsync();
        }
#pragma warning disable CA1031 // A storage hiccup must not stop recording; the batch is lost and logged.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogFlushFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing a batch of provisioning activity failed; those records are lost.")]
    private partial void LogFlushFailed(Exception exception);
}
