namespace Toolkit.HighAvailability.Tests.Infrastructure;

/// <summary>The etcd tests share one private etcd and run one at a time (one of them restarts it; all of them time failovers).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EtcdCollection : ICollectionFixture<EtcdFixture>
{
    public const string Name = "etcd";
}

/// <summary>Starts the private etcd for the collection, when the binary exists.</summary>
public sealed class EtcdFixture : IAsyncLifetime
{
    private EtcdServer? _server;

    public EtcdServer Server => _server ?? throw new InvalidOperationException(EtcdServer.MissingMessage);

    public async Task InitializeAsync()
    {
        if (EtcdServer.FindBinary() is not null)
        {
            _server = await EtcdServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
