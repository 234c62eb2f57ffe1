using System.Diagnostics;
using dotnet_etcd;
using Etcdserverpb;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Toolkit.HighAvailability.Etcd;

/// <summary>
/// High availability on etcd. One lease per process, kept alive; each component this process contends for has a key
/// under the component's prefix attached to that lease; the key with the lowest create revision leads, and that
/// revision is the term (epoch): strictly increasing from one leader to the next, comparable by any store. A leader
/// stops acting at a local renew deadline before its lease can expire, and learns of it through
/// <see cref="ILeaderContender.RevokeLeadership"/> and the grant's cancellation token. Retrieval and leadership come
/// from one watch per process, which resumes from the last revision it saw. Durable HA state is written in
/// transactions that compare the writer's leader key, so a deposed leader's writes are refused by etcd itself.
/// </summary>
[DebuggerDisplay("etcd HA at {_options.Endpoints,nq}{_options.Root,nq}")]
public sealed partial class EtcdHighAvailabilityServices : IHighAvailabilityServices
{
    private readonly EtcdHighAvailabilityOptions _options;
    private readonly EtcdKeys _keys;
    private readonly EtcdClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CallbackQueue _callbacks;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, EtcdLeaderElection> _elections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EtcdJobStore> _stores = new(StringComparer.Ordinal);
    private readonly EtcdLeaderView _view;
    private readonly Task _viewLoop;
    private Task? _sessionLoop;
    private int _disposed;

    /// <summary>Creates the services; the watch starts at once, the lease with the first election.</summary>
    /// <exception cref="ArgumentException">An option cannot work; the message names it.</exception>
    public EtcdHighAvailabilityServices(EtcdHighAvailabilityOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _keys = new EtcdKeys(_options.Root);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Toolkit.HighAvailability.Etcd");
        _callbacks = new CallbackQueue(exception => EtcdLog.CallbackFailed(_logger, exception));
        _client = new EtcdClient(_options.Endpoints);
        _view = new EtcdLeaderView(this);
        _viewLoop = Task.Run(() => _view.RunAsync(_stopping.Token));
    }

    /// <summary>The options in force.</summary>
    public EtcdHighAvailabilityOptions Options => _options.Clone();

    internal EtcdClient Client => _client;

    internal EtcdKeys Keys => _keys;

    internal ILogger Logger => _logger;

    internal CallbackQueue Callbacks => _callbacks;

    internal Lock SyncRoot => _lock;

    internal TimeSpan RetryPeriod => _options.RetryPeriod;

    internal CancellationToken Stopping => _stopping.Token;

    /// <summary>What the watch has seen of every component's contenders.</summary>
    internal EtcdLeaderView View => _view;

    /// <summary>The current session, while one is alive.</summary>
    internal EtcdSession? Session { get; private set; }

    /// <inheritdoc />
    public ILeaderElection CreateLeaderElection(string componentId)
    {
        EtcdKeys.ValidateName(componentId, nameof(componentId));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_lock)
        {
            if (_elections.ContainsKey(componentId))
            {
                throw new InvalidOperationException($"This process has an election for component '{componentId}' already: one contender per component and process.");
            }

            EtcdLeaderElection election = new(this, componentId);
            _elections.Add(componentId, election);
            return election;
        }
    }

    /// <inheritdoc />
    public IDisposable RetrieveLeader(string componentId, ILeaderRetrievalListener listener)
    {
        EtcdKeys.ValidateName(componentId, nameof(componentId));
        ArgumentNullException.ThrowIfNull(listener);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _view.Subscribe(componentId, listener);
    }

    /// <inheritdoc />
    public IJobGraphStore GetJobGraphStore(string writerComponentId = "dispatcher") => Store(writerComponentId);

    /// <inheritdoc />
    public IJobResultStore GetJobResultStore(string writerComponentId = "dispatcher") => Store(writerComponentId);

    /// <summary>Ends every leadership of this process, revokes its lease (so that standbys take over at once) and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        EtcdSession? session;
        lock (_lock)
        {
            session = Session;
        }

        session?.End("the HA services stopped");
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_viewLoop, _sessionLoop ?? Task.CompletedTask).ConfigureAwait(false);
        if (session is not null)
        {
            using CancellationTokenSource limit = new(_options.RetryPeriod);
            try
            {
                await _client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = session.LeaseId }, cancellationToken: limit.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is Grpc.Core.RpcException or OperationCanceledException or HttpRequestException)
            {
                // etcd is unreachable: the lease expires by its TTL instead.
            }
        }

        await _callbacks.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Starts the session loop with the first election that starts.</summary>
    internal void EnsureSessions()
    {
        lock (_lock)
        {
            _sessionLoop ??= Task.Run(() => RunSessionsAsync(_stopping.Token));
        }
    }

    internal void Forget(EtcdLeaderElection election)
    {
        lock (_lock)
        {
            _elections.Remove(election.ComponentId);
        }
    }

    /// <summary>The key and lease of this process's leadership of <paramref name="componentId"/> in term <paramref name="epoch"/>, if it ever had it.</summary>
    internal (string Key, long LeaseId)? GrantedKey(string componentId, long epoch)
    {
        lock (_lock)
        {
            return _elections.TryGetValue(componentId, out EtcdLeaderElection? election) ? election.GrantedKey(epoch) : null;
        }
    }

    /// <summary>The term that leads <paramref name="componentId"/> now, read from etcd (null when none does).</summary>
    internal async Task<long?> CurrentEpochAsync(string componentId, CancellationToken cancellation)
    {
        string prefix = _keys.ComponentPrefix(componentId);
        RangeResponse lowest = await _client.GetAsync(
            new RangeRequest
            {
                Key = EtcdKeys.Bytes(prefix),
                RangeEnd = EtcdKeys.RangeEnd(prefix),
                SortTarget = RangeRequest.Types.SortTarget.Create,
                SortOrder = RangeRequest.Types.SortOrder.Ascend,
                Limit = 1,
                KeysOnly = true,
            },
            cancellationToken: cancellation).ConfigureAwait(false);
        return lowest.Kvs.Count == 0 ? null : lowest.Kvs[0].CreateRevision;
    }

    internal async Task DelayRetryAsync(CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(_options.RetryPeriod, _time, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping or the session ended: the caller looks at why.
        }
    }

    private EtcdJobStore Store(string componentId)
    {
        EtcdKeys.ValidateName(componentId, nameof(componentId));
        lock (_lock)
        {
            if (!_stores.TryGetValue(componentId, out EtcdJobStore? store))
            {
                store = new EtcdJobStore(this, componentId);
                _stores.Add(componentId, store);
            }

            return store;
        }
    }

    private IEnumerable<EtcdLeaderElection> Elections => _elections.Values;

    internal EtcdLeaderElection? ElectionOf(string componentId) => _elections.GetValueOrDefault(componentId);
}
