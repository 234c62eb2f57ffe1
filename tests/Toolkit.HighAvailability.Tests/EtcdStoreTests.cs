using dotnet_etcd;
using Etcdserverpb;
using Toolkit.HighAvailability.Etcd;
using Toolkit.HighAvailability.Tests.Infrastructure;

namespace Toolkit.HighAvailability.Tests;

/// <summary>The etcd provider in this process: leases, confirmation, the durable stores and their fencing.</summary>
[Collection(EtcdCollection.Name)]
public sealed class EtcdStoreTests(EtcdFixture etcd)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private EtcdHighAvailabilityOptions Options(string root) => new()
    {
        Endpoints = etcd.Server.Url,
        Root = root,
        LeaseTtl = TimeSpan.FromSeconds(3),
        RenewDeadline = TimeSpan.FromSeconds(2),
        RetryPeriod = TimeSpan.FromMilliseconds(500),
    };

    [EtcdFact]
    public async Task A_contenders_key_is_attached_to_a_lease_with_the_configured_ttl_never_lease_0()
    {
        string root = NewRoot();
        await using EtcdHighAvailabilityServices ha = new(Options(root));
        RecordingContender contender = new();
        await using ILeaderElection election = ha.CreateLeaderElection("rm");
        await election.StartAsync(contender);
        long epoch = await contender.Granted.Task.WaitAsync(Limit);

        using EtcdClient client = new(etcd.Server.Url);
        RangeResponse keys = await client.GetAsync(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8($"{root}/election/rm/"), RangeEnd = Google.Protobuf.ByteString.CopyFromUtf8($"{root}/election/rm0") });
        Mvccpb.KeyValue key = Assert.Single(keys.Kvs);
        Assert.Equal(epoch, key.CreateRevision);
        Assert.NotEqual(0, key.Lease);
        LeaseTimeToLiveResponse lease = await client.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = key.Lease });
        Assert.Equal(3, lease.GrantedTTL);
        Assert.InRange(lease.TTL, 1, 3);
        Assert.True(election.HasLeadership(epoch));
        Assert.False(election.HasLeadership(epoch + 1));
    }

    [EtcdFact]
    public async Task Job_graphs_and_results_round_trip_and_a_deposed_terms_writes_are_refused_naming_both_terms()
    {
        string root = NewRoot();
        await using EtcdHighAvailabilityServices first = new(Options(root));
        await using EtcdHighAvailabilityServices second = new(Options(root));
        RecordingContender one = new();
        RecordingContender two = new();
        ILeaderElection electionOne = first.CreateLeaderElection("dispatcher");
        await using ILeaderElection electionTwo = second.CreateLeaderElection("dispatcher");
        await electionOne.StartAsync(one);
        long epochOne = await one.Granted.Task.WaitAsync(Limit);
        await electionTwo.StartAsync(two);

        IJobGraphStore graphs = first.GetJobGraphStore();
        IJobResultStore results = first.GetJobResultStore();
        await graphs.PutJobGraphAsync(epochOne, "job-1", new byte[] { 1, 2, 3 });
        await graphs.PutJobGraphAsync(epochOne, "job-2", new byte[] { 4 });
        Assert.True(await graphs.RemoveJobGraphAsync(epochOne, "job-2"));
        Assert.False(await graphs.RemoveJobGraphAsync(epochOne, "job-2"));
        await results.CreateDirtyResultAsync(epochOne, "job-0", new byte[] { 9 });
        await Assert.ThrowsAsync<InvalidOperationException>(() => results.CreateDirtyResultAsync(epochOne, "job-0", new byte[] { 9 }));
        JobResultEntry dirty = Assert.Single(await second.GetJobResultStore().GetDirtyResultsAsync());
        Assert.Equal(("job-0", false), (dirty.JobId, dirty.IsClean));
        Assert.Equal([9], dirty.Result);
        await results.MarkResultCleanAsync(epochOne, "job-0");
        Assert.Empty(await results.GetDirtyResultsAsync());
        Assert.True((await results.GetResultAsync("job-0"))!.IsClean);

        // The first leader resigns; the second takes over and recovers what the first wrote.
        await electionOne.DisposeAsync();
        long epochTwo = await two.Granted.Task.WaitAsync(Limit);
        Assert.True(epochTwo > epochOne);
        Assert.Equal(["job-1"], await second.GetJobGraphStore().GetJobIdsAsync());
        Assert.Equal([1, 2, 3], await second.GetJobGraphStore().RecoverJobGraphAsync("job-1"));

        // The deposed term writes nothing more, whatever it believes; etcd says who leads now.
        LeadershipLostException refused = await Assert.ThrowsAsync<LeadershipLostException>(() => graphs.PutJobGraphAsync(epochOne, "job-1", new byte[] { 0 }));
        Assert.Equal((epochOne, epochTwo), (refused.WriterEpoch, refused.CurrentEpoch));
        Assert.Contains($"term {epochOne} no longer leads; term {epochTwo} leads now", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LeadershipLostException>(() => results.CreateDirtyResultAsync(epochOne, "job-9", new byte[] { 1 }));
        await Assert.ThrowsAsync<LeadershipLostException>(() => electionOne.ConfirmLeadershipAsync(epochOne, "rpc://old:1/dispatcher"));
        Assert.Equal([1, 2, 3], await second.GetJobGraphStore().RecoverJobGraphAsync("job-1"));
        await second.GetJobGraphStore().PutJobGraphAsync(epochTwo, "job-1", new byte[] { 7 });
        Assert.Equal([7], await graphs.RecoverJobGraphAsync("job-1"));
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_naming_the_option()
    {
        Assert.Equal("Endpoints", Assert.ThrowsAny<ArgumentException>(() => new EtcdHighAvailabilityOptions().Validate()).ParamName);
        Assert.Equal("LeaseTtl", Assert.ThrowsAny<ArgumentException>(() => new EtcdHighAvailabilityOptions { Endpoints = "http://x:1", LeaseTtl = TimeSpan.FromMilliseconds(1500) }.Validate()).ParamName);
        Assert.Equal("RenewDeadline", Assert.ThrowsAny<ArgumentException>(() => new EtcdHighAvailabilityOptions { Endpoints = "http://x:1", LeaseTtl = TimeSpan.FromSeconds(3), RenewDeadline = TimeSpan.FromSeconds(3) }.Validate()).ParamName);
        Assert.Equal("RetryPeriod", Assert.ThrowsAny<ArgumentException>(() => new EtcdHighAvailabilityOptions { Endpoints = "http://x:1", RenewDeadline = TimeSpan.FromSeconds(2), RetryPeriod = TimeSpan.FromSeconds(2) }.Validate()).ParamName);
        Assert.Equal("Root", Assert.ThrowsAny<ArgumentException>(() => new EtcdHighAvailabilityOptions { Endpoints = "http://x:1", Root = "toolkit/" }.Validate()).ParamName);
    }

    private static string NewRoot() => "/test/" + Guid.NewGuid().ToString("N")[..12];
}
