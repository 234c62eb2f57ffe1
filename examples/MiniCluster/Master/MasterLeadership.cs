using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Toolkit.HighAvailability;
using Toolkit.Rpc;

namespace MiniCluster.Master;

/// <summary>
/// The master process's contender for the cluster's leadership (component <c>master</c>): one election for the resource
/// manager and the dispatcher together, as a Flink JobManager process has, so that both lead in one process with one
/// epoch. A grant hands the epoch to both endpoints on their main threads, then publishes the process's address
/// (<c>rpc://host:port</c>; the endpoints are <c>/resourcemanager</c> and <c>/dispatcher</c> under it).
/// </summary>
public sealed class MasterLeadership : ILeaderContender, IHostedService, IAsyncDisposable
{
    /// <summary>The HA component the master processes contend for.</summary>
    public const string ComponentId = "master";

    private readonly IHighAvailabilityServices _ha;
    private readonly RpcService _service;
    private readonly ResourceManager _resourceManager;
    private readonly Dispatcher _dispatcher;
    private readonly ILogger<MasterLeadership> _logger;
    private ILeaderElection? _election;

    public MasterLeadership(IHighAvailabilityServices ha, RpcService service, ResourceManager resourceManager, Dispatcher dispatcher, ILogger<MasterLeadership> logger)
    {
        _ha = ha;
        _service = service;
        _resourceManager = resourceManager;
        _dispatcher = dispatcher;
        _logger = logger;
    }

    /// <summary>This process's address as leader: <c>rpc://host:port</c>.</summary>
    public string Address => "rpc://" + (_service.Address ?? throw new InvalidOperationException("A master needs a listening service (set --listen)."));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _election = _ha.CreateLeaderElection(ComponentId);
        await _election.StartAsync(this, cancellationToken);
        _logger.LogInformation("Master {Node} at {Address} contends for the leadership", _service.NodeId, Address);
    }

    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_election is { } election)
        {
            _election = null;
            await election.DisposeAsync();
        }
    }

    public void GrantLeadership(long epoch, CancellationToken leadershipLost)
    {
        // Queued on both endpoints' main threads now, so that a revocation heard later is queued after it.
        Task resourceManager = _resourceManager.GrantAsync(epoch);
        Task dispatcher = _dispatcher.GrantAsync(epoch, Address, leadershipLost);
        _ = ConfirmAsync(epoch, resourceManager, dispatcher, leadershipLost);
    }

    public void RevokeLeadership()
    {
        _logger.LogWarning("Leadership revoked: this master no longer leads");
        _ = _resourceManager.RevokeAsync();
        _ = _dispatcher.RevokeAsync();
    }

    public void HandleError(Exception error) => _logger.LogError(error, "The leader election failed");

    private async Task ConfirmAsync(long epoch, Task resourceManager, Task dispatcher, CancellationToken leadershipLost)
    {
        try
        {
            await Task.WhenAll(resourceManager, dispatcher);
            if (_election is { } election)
            {
                await election.ConfirmLeadershipAsync(epoch, Address, leadershipLost);
                _logger.LogInformation("Leading with epoch {Epoch} at {Address}", epoch, Address);
            }
        }
        catch (Exception error) when (error is LeadershipLostException or OperationCanceledException or RpcException or InvalidOperationException)
        {
            _logger.LogWarning("Leadership of epoch {Epoch} ended before it was confirmed: {Error}", epoch, error.Message);
        }
    }
}
