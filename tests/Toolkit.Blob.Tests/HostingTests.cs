using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Toolkit.Rpc.Hosting;
using Toolkit.Rpc;
using Toolkit.Testing.Processes;

namespace Toolkit.Blob.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task A_host_runs_a_blob_server_and_another_a_client_and_cache_from_configuration()
    {
        string root = BlobTestHost.NewDirectory();
        HostApplicationBuilder serverBuilder = Host.CreateApplicationBuilder();
        serverBuilder.Configuration["Rpc:Listen"] = "127.0.0.1:0";
        serverBuilder.Configuration["BlobServer:Directory"] = Path.Combine(root, "server");
        serverBuilder.Configuration["BlobServer:MaxConcurrentTransfers"] = "7";
        serverBuilder.Configuration["BlobServer:MinFreeBytes"] = "0";
        serverBuilder.Configuration["BlobServer:EndpointName"] = "blobs";
        serverBuilder.Services.AddToolkitRpc(serverBuilder.Configuration.GetSection("Rpc")).AddBlobServer(serverBuilder.Configuration.GetSection("BlobServer"));
        using IHost serverHost = serverBuilder.Build();
        await serverHost.StartAsync();
        RpcService serverRpc = serverHost.Services.GetRequiredService<RpcService>();
        Assert.Equal(7, serverHost.Services.GetRequiredService<BlobServerEndpoint>().Server.Admission.MaxRunning);

        HostApplicationBuilder workerBuilder = Host.CreateApplicationBuilder();
        workerBuilder.Configuration["BlobCache:ServerAddress"] = $"rpc://{serverRpc.Address}/blobs";
        workerBuilder.Configuration["BlobCache:Client:HolderId"] = "te-1";
        workerBuilder.Configuration["BlobCache:Cache:Directory"] = Path.Combine(root, "cache");
        workerBuilder.Configuration["BlobCache:Cache:QuotaBytes"] = "1048576";
        workerBuilder.Services.AddToolkitRpc().AddBlobCache(workerBuilder.Configuration.GetSection("BlobCache"));
        using IHost workerHost = workerBuilder.Build();
        await workerHost.StartAsync();
        BlobClient client = workerHost.Services.GetRequiredService<BlobClient>();
        BlobCache cache = workerHost.Services.GetRequiredService<BlobCache>();

        JobId job = new("job-1");
        BlobKey key = await client.PutAsync(new byte[] { 1, 2, 3 }, BlobKind.Permanent, job);
        string path = await cache.GetAsync(job, key);

        Assert.Equal(new byte[] { 1, 2, 3 }, await File.ReadAllBytesAsync(path));
        Assert.Equal("te-1", client.HolderId);
        Assert.StartsWith(Path.Combine(root, "cache"), path, StringComparison.Ordinal);
        await workerHost.StopAsync();
        await serverHost.StopAsync();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Invalid_blob_server_options_fail_the_host_start_with_the_setting_named()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddToolkitRpc().AddBlobServer(options => options.MaxConcurrentTransfers = 5);
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Blob option Directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transfers_use_tls_when_the_rpc_service_does()
    {
        using X509Certificate2 certificate = SelfSignedCertificate.ForLocalhost();
        string root = BlobTestHost.NewDirectory();
        await using RpcService serverRpc = await RpcService.StartAsync(new RpcServiceOptions
        {
            Listen = "127.0.0.1:0",
            Transport = new RpcTransportOptions { Tls = new RpcTlsOptions { ServerCertificate = certificate }, SharedSecret = "tls-and-secret" },
        });
        await using BlobServer server = await BlobServer.StartAsync(serverRpc, new BlobServerOptions { Directory = root, MinFreeBytes = 0 });
        RpcTlsOptions pinned = new()
        {
            TargetHost = "localhost",
            RemoteCertificateValidation = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate.GetCertHashString(),
        };
        await using RpcService clientRpc = await RpcService.StartAsync(new RpcServiceOptions { Transport = new RpcTransportOptions { Tls = pinned, SharedSecret = "tls-and-secret" } });
        BlobClient client = BlobClient.Create(clientRpc, server.Address!);

        byte[] content = BlobTestHost.RandomBytes(3 * 1024 * 1024);
        BlobKey key = await client.PutAsync(content, BlobKind.Transient);
        Assert.Equal(content, await client.GetBytesAsync(key));

        BlobClient plain = new(client.Server, new BlobClientOptions { MaxAttempts = 1, SharedSecret = "tls-and-secret" });
        BlobException refused = await Assert.ThrowsAsync<BlobException>(() => plain.PutAsync(new byte[1], BlobKind.Transient));
        Assert.Equal(BlobError.ConnectionLost, refused.Error);
        Assert.Contains("Is TLS configured on one side only?", refused.Message, StringComparison.Ordinal);
        Directory.Delete(root, recursive: true);
    }
}
