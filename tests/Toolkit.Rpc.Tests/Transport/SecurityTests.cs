using System.Security.Cryptography.X509Certificates;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Testing.Processes;

namespace Toolkit.Rpc.Tests.Transport;

/// <summary>Shared-secret authentication and TLS.</summary>
public sealed class SecurityTests
{
    [Fact]
    public async Task Services_with_the_same_secret_connect_and_call()
    {
        await using Server server = await Server.StartAsync(new RpcTransportOptions { SharedSecret = "correct horse" });
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { SharedSecret = "correct horse" } });

        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Service.Address}/probe");

        Assert.Equal(3, await gateway.IncrementAsync(3));
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_before_any_call_is_dispatched()
    {
        await using Server server = await Server.StartAsync(new RpcTransportOptions { SharedSecret = "correct horse" });
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { SharedSecret = "battery staple" } });

        // Calls made at once queue behind the handshake: none of them may reach the endpoint.
        IProbeGateway gateway = client.ResolveGateway<IProbeGateway>(new RpcEndpointReference("unknown-node", server.Service.Address, "probe"));
        gateway.Record(1);
        ValueTask<long> call = gateway.IncrementAsync(5);

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(async () => await call);
        Assert.Contains("IProbeGateway.IncrementAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains("secrets differ", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await server.Endpoint.CallAsync(() => server.Endpoint.Count, TimeSpan.FromSeconds(5)));
        Assert.Empty(await server.Service.GetGateway<IProbeGateway>("probe").RecordedAsync());
    }

    [Fact]
    public async Task A_client_without_the_secret_is_told_the_service_requires_one()
    {
        await using Server server = await Server.StartAsync(new RpcTransportOptions { SharedSecret = "correct horse" });
        await using RpcService client = await RpcService.StartAsync();

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => client.ConnectAsync<IProbeGateway>($"rpc://{server.Service.Address}/probe"));

        Assert.Contains("requires a shared secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await server.Endpoint.CallAsync(() => server.Endpoint.Count, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_client_with_a_secret_refuses_a_service_that_cannot_prove_it()
    {
        await using Server server = await Server.StartAsync(new RpcTransportOptions());
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { SharedSecret = "correct horse" } });

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => client.ConnectAsync<IProbeGateway>($"rpc://{server.Service.Address}/probe"));

        Assert.Contains("shared secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_round_trip_over_TLS_with_a_pinned_certificate()
    {
        using X509Certificate2 certificate = SelfSignedCertificate.ForLocalhost();
        await using Server server = await Server.StartAsync(new RpcTransportOptions { Tls = new RpcTlsOptions { ServerCertificate = certificate } });
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { Tls = PinnedClient(certificate) } });

        IProbeGateway gateway = await client.ConnectAsync<IProbeGateway>($"rpc://{server.Service.Address}/probe");

        Assert.Equal("over tls (5000 ms)", await gateway.EchoAsync("over tls", TimeSpan.FromSeconds(5)));
        Task<long>[] calls = Enumerable.Range(0, 500).Select(_ => gateway.IncrementAsync(1).AsTask()).ToArray();
        await Eventually.Within(Task.WhenAll(calls));
        Assert.Equal(500, await gateway.IncrementAsync(0));
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_the_connection_with_the_TLS_reason()
    {
        using X509Certificate2 certificate = SelfSignedCertificate.ForLocalhost();
        await using Server server = await Server.StartAsync(new RpcTransportOptions { Tls = new RpcTlsOptions { ServerCertificate = certificate } });
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { Tls = new RpcTlsOptions { TargetHost = "localhost" } } });

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => client.ConnectAsync<IProbeGateway>($"rpc://{server.Service.Address}/probe"));

        Assert.Contains("TLS handshake failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TLS_on_one_side_only_fails_promptly_and_says_why()
    {
        using X509Certificate2 certificate = SelfSignedCertificate.ForLocalhost();
        await using Server server = await Server.StartAsync(new RpcTransportOptions { Tls = new RpcTlsOptions { ServerCertificate = certificate } });
        await using RpcService client = await RpcService.StartAsync();
        System.Diagnostics.Stopwatch elapsed = System.Diagnostics.Stopwatch.StartNew();

        RpcConnectionException error = await Assert.ThrowsAsync<RpcConnectionException>(() => client.ConnectAsync<IProbeGateway>($"rpc://{server.Service.Address}/probe"));

        Assert.Contains("TLS or the shared secret configured on one side only", error.Message, StringComparison.Ordinal);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(4), $"took {elapsed.Elapsed}");
    }

    internal static RpcTlsOptions PinnedClient(X509Certificate2 certificate) => new()
    {
        TargetHost = "localhost",
        RemoteCertificateValidation = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
    };

    private sealed class Server : IAsyncDisposable
    {
        private Server(RpcService service, ProbeEndpoint endpoint)
        {
            Service = service;
            Endpoint = endpoint;
        }

        public RpcService Service { get; }

        public ProbeEndpoint Endpoint { get; }

        public static async Task<Server> StartAsync(RpcTransportOptions transport)
        {
            RpcService service = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", Transport = transport });
            return new Server(service, await service.StartEndpointAsync(new ProbeEndpoint(), "probe"));
        }

        public ValueTask DisposeAsync() => Service.DisposeAsync();
    }
}
