namespace Toolkit.Rpc.Streams.Tests;

/// <summary>How the caller's service runs.</summary>
public enum CallerMode
{
    /// <summary>Without a listener: it opens both connections, and is answered over them.</summary>
    ClientMode,

    /// <summary>With a listener of its own.</summary>
    Listening,
}

/// <summary>Two services over loopback, both carrying byte streams: a server with a <see cref="BytesEndpoint"/>, and a caller.</summary>
internal sealed class BytesRig : IAsyncDisposable
{
    private BytesRig(RpcService server, RpcService caller, BytesEndpoint endpoint, IBytesGateway gateway)
    {
        Server = server;
        Caller = caller;
        Endpoint = endpoint;
        Gateway = gateway;
    }

    public RpcService Server { get; }

    public RpcService Caller { get; }

    public BytesEndpoint Endpoint { get; }

    public IBytesGateway Gateway { get; }

    public static async Task<BytesRig> StartAsync(
        CallerMode mode = CallerMode.ClientMode,
        RpcTransportOptions? transport = null,
        RpcByteStreams? serverStreams = null,
        RpcByteStreams? callerStreams = null,
        bool serverHasStreams = true,
        bool callerHasStreams = true)
    {
        transport ??= new RpcTransportOptions();
        RpcService server = await RpcService.StartAsync(new RpcServiceOptions
        {
            Listen = "127.0.0.1:0",
            Transport = transport,
            ByteStreams = serverHasStreams ? serverStreams ?? new MultiplexedByteStreams() : null,
        });
        BytesEndpoint endpoint = await server.StartEndpointAsync(new BytesEndpoint(), "bytes");
        RpcService caller = await RpcService.StartAsync(new RpcServiceOptions
        {
            Listen = mode == CallerMode.Listening ? "127.0.0.1:0" : null,
            Transport = transport,
            ByteStreams = callerHasStreams ? callerStreams ?? new MultiplexedByteStreams() : null,
        });
        IBytesGateway gateway = await caller.ConnectAsync<IBytesGateway>($"rpc://{server.Address}/bytes");
        return new BytesRig(server, caller, endpoint, gateway);
    }

    /// <summary>Closes every connection of <paramref name="service"/> as a network failure would.</summary>
    public static void CutConnections(RpcService service) => service.Transport.Connections.CloseAll("cut by the test");

    public async ValueTask DisposeAsync()
    {
        await Caller.DisposeAsync();
        await Server.DisposeAsync();
    }
}
