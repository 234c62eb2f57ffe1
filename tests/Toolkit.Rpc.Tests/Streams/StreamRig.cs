using Toolkit.Rpc.Tests.Endpoints;

namespace Toolkit.Rpc.Tests.Streams;

/// <summary>A stream endpoint in a service, and its gateway as a caller sees it: in-process, or from a client-mode service over TCP.</summary>
internal sealed class StreamRig : IAsyncDisposable
{
    private StreamRig(RpcService server, RpcService? client, StreamEndpoint endpoint, IStreamGateway gateway)
    {
        Server = server;
        Client = client;
        Endpoint = endpoint;
        Gateway = gateway;
    }

    public RpcService Server { get; }

    public RpcService? Client { get; }

    public StreamEndpoint Endpoint { get; }

    public IStreamGateway Gateway { get; }

    public static async Task<StreamRig> StartAsync(CallPath path, int window = 1024, int maxFrameSize = RpcTransportOptions.DefaultMaxFrameSize)
    {
        RpcTransportOptions transport = new() { MaxFrameSize = maxFrameSize };
        RpcService server = await RpcService.StartAsync(new RpcServiceOptions
        {
            Listen = path == CallPath.Remote ? "127.0.0.1:0" : null,
            ItemStreamWindow = window,
            SerializeLocalCalls = path == CallPath.Serialized,
            Transport = transport,
        });
        StreamEndpoint endpoint = new();
        await server.StartEndpointAsync(endpoint, "streams");
        if (path != CallPath.Remote)
        {
            return new StreamRig(server, null, endpoint, server.GetGateway<IStreamGateway>("streams"));
        }

        RpcService client = await RpcService.StartAsync(new RpcServiceOptions { ItemStreamWindow = window, Transport = transport });
        return new StreamRig(server, client, endpoint, await client.ConnectAsync<IStreamGateway>($"rpc://{server.Address}/streams"));
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null)
        {
            await Client.DisposeAsync();
        }

        await Server.DisposeAsync();
    }
}
