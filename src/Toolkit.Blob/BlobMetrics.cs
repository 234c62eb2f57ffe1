using System.Diagnostics.Metrics;

namespace Toolkit.Blob;

/// <summary>
/// The blob service's instruments, on the meter <c>Toolkit.Blob</c>: <c>toolkit.blob.bytes_in</c> and
/// <c>toolkit.blob.bytes_out</c> (counters, By, of the server), <c>toolkit.blob.transfers.active</c> (up-down counter),
/// <c>toolkit.blob.rejected_busy</c>, <c>toolkit.blob.corrupted</c> (counters), and the cache's
/// <c>toolkit.blob.cache.hits</c>, <c>toolkit.blob.cache.misses</c> and <c>toolkit.blob.cache.evictions</c>.
/// </summary>
public sealed class BlobMetrics : IDisposable
{
    /// <summary>The meter's name, for a metrics exporter's configuration.</summary>
    public const string MeterName = "Toolkit.Blob";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _rejectedBusy;
    private readonly Counter<long> _corrupted;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _evictions;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/>, or on a meter of their own when it is null.</summary>
    public BlobMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _bytesIn = _meter.CreateCounter<long>("toolkit.blob.bytes_in", "By", "Bytes of blob content the server received.");
        _bytesOut = _meter.CreateCounter<long>("toolkit.blob.bytes_out", "By", "Bytes of blob content the server sent.");
        _active = _meter.CreateUpDownCounter<long>("toolkit.blob.transfers.active", "{transfer}", "Transfers running on the server.");
        _rejectedBusy = _meter.CreateCounter<long>("toolkit.blob.rejected_busy", "{transfer}", "Transfers refused because the server was busy.");
        _corrupted = _meter.CreateCounter<long>("toolkit.blob.corrupted", "{blob}", "Stored blobs found corrupted (on read or at start).");
        _hits = _meter.CreateCounter<long>("toolkit.blob.cache.hits", "{request}", "Cache requests served from the cache's directory.");
        _misses = _meter.CreateCounter<long>("toolkit.blob.cache.misses", "{request}", "Cache requests that downloaded the blob.");
        _evictions = _meter.CreateCounter<long>("toolkit.blob.cache.evictions", "{blob}", "Blobs evicted from the cache (quota or TTL).");
    }

    /// <summary>The meter the instruments are on.</summary>
    public Meter Meter => _meter;

    internal void BytesIn(long count) => _bytesIn.Add(count);

    internal void BytesOut(long count) => _bytesOut.Add(count);

    internal void TransferStarted() => _active.Add(1);

    internal void TransferEnded() => _active.Add(-1);

    internal void RejectedBusy() => _rejectedBusy.Add(1);

    internal void Corrupted() => _corrupted.Add(1);

    internal void CacheHit() => _hits.Add(1);

    internal void CacheMiss() => _misses.Add(1);

    internal void CacheEvicted(string reason) => _evictions.Add(1, new KeyValuePair<string, object?>("toolkit.blob.reason", reason));

    /// <summary>Disposes the meter if these metrics made it themselves.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
