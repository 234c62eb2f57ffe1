using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Toolkit.HighAvailability.Embedded;
using Toolkit.HighAvailability.Etcd;
using Toolkit.HighAvailability.Standalone;
using Toolkit.Rpc.Hosting;

namespace Toolkit.HighAvailability.Tests;

/// <summary>The embedded (default) and standalone providers, and the registration on a host.</summary>
public sealed class EmbeddedTests
{
    [Fact]
    public async Task Embedded_contenders_take_turns_in_increasing_terms_and_listeners_hear_each_confirmed_leader_in_order()
    {
        await using EmbeddedHighAvailabilityServices ha = new();
        RecordingListener listener = new();
        using IDisposable retrieval = ha.RetrieveLeader("rm", listener);
        RecordingContender a = new();
        RecordingContender b = new();
        ILeaderElection electionA = ha.CreateLeaderElection("rm");
        ILeaderElection electionB = ha.CreateLeaderElection("rm");
        await electionA.StartAsync(a);
        await electionB.StartAsync(b);
        await ha.DrainCallbacksAsync();
        long termA = await a.Granted.Task;
        Assert.False(b.Granted.Task.IsCompleted);
        await electionA.ConfirmLeadershipAsync(termA, "rpc://a:1/rm");

        await electionA.DisposeAsync();
        await ha.DrainCallbacksAsync();
        long termB = await b.Granted.Task;
        Assert.True(a.LastToken.IsCancellationRequested);
        Assert.Equal(["grant 1", "revoke"], a.Heard);
        Assert.False(electionA.HasLeadership(termA));
        Assert.True(electionB.HasLeadership(termB));
        await Assert.ThrowsAsync<LeadershipLostException>(() => electionA.ConfirmLeadershipAsync(termA, "rpc://a:1/rm"));
        await electionB.ConfirmLeadershipAsync(termB, "rpc://b:1/rm");
        await ha.DrainCallbacksAsync();

        Assert.Equal(2, termB);
        Assert.Equal([null, new LeaderInformation(1, "rpc://a:1/rm"), null, new LeaderInformation(2, "rpc://b:1/rm")], listener.Heard);
    }

    [Fact]
    public async Task Embedded_stores_refuse_a_deposed_terms_writes_naming_both_terms()
    {
        await using EmbeddedHighAvailabilityServices ha = new();
        RecordingContender contender = new();
        await using ILeaderElection election = ha.CreateLeaderElection("dispatcher");
        await election.StartAsync(contender);
        await ha.DrainCallbacksAsync();
        IJobGraphStore graphs = ha.GetJobGraphStore();
        await graphs.PutJobGraphAsync(1, "job", new byte[] { 1 });

        ha.RevokeLeadership("dispatcher");
        await ha.DrainCallbacksAsync();

        LeadershipLostException refused = await Assert.ThrowsAsync<LeadershipLostException>(() => graphs.PutJobGraphAsync(1, "job", new byte[] { 2 }));
        Assert.Equal((1L, (long?)2), (refused.WriterEpoch, refused.CurrentEpoch));
        Assert.Equal(["grant 1", "revoke", "grant 2"], contender.Heard);
        await graphs.PutJobGraphAsync(2, "job", new byte[] { 3 });
        Assert.Equal([3], await graphs.RecoverJobGraphAsync("job"));
    }

    [Fact]
    public async Task Standalone_grants_term_1_at_once_and_retrieval_answers_with_the_fixed_address()
    {
        await using StandaloneHighAvailabilityServices ha = new(new Dictionary<string, string> { ["rm"] = "rpc://10.0.0.1:6123/rm" });
        RecordingContender contender = new();
        RecordingListener listener = new();
        await using ILeaderElection election = ha.CreateLeaderElection("rm");
        await election.StartAsync(contender);
        using IDisposable retrieval = ha.RetrieveLeader("rm", listener);

        Assert.Equal(1, await contender.Granted.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(election.HasLeadership(1));
        Assert.Throws<InvalidOperationException>(() => ha.CreateLeaderElection("rm"));
        ArgumentException unknown = Assert.Throws<ArgumentException>(() => ha.RetrieveLeader("dispatcher", listener));
        Assert.Contains("no address for component 'dispatcher'", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddHighAvailability_registers_the_embedded_provider_by_default_and_etcd_when_chosen()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Services.AddToolkitRpc().AddHighAvailability();
        using IHost host = builder.Build();
        Assert.IsType<EmbeddedHighAvailabilityServices>(host.Services.GetRequiredService<IHighAvailabilityServices>());

        HostApplicationBuilder etcd = Host.CreateApplicationBuilder();
        etcd.Services.AddToolkitRpc().AddHighAvailability(ha => ha.UseEtcd(options =>
        {
            options.Endpoints = "http://127.0.0.1:1";
            options.Root = "/toolkit/test";
        }));
        await using ServiceProvider services = etcd.Services.BuildServiceProvider();
        Assert.IsType<EtcdHighAvailabilityServices>(services.GetRequiredService<IHighAvailabilityServices>());

        ToolkitRpcBuilder twice = Host.CreateApplicationBuilder().Services.AddToolkitRpc().AddHighAvailability();
        Assert.Throws<InvalidOperationException>(() => twice.AddHighAvailability());
        ArgumentException bad = Assert.ThrowsAny<ArgumentException>(() => Host.CreateApplicationBuilder().Services.AddToolkitRpc().AddHighAvailability(ha => ha.UseEtcd(o => o.Endpoints = "")));
        Assert.Equal("Endpoints", bad.ParamName);
    }
}
