using Toolkit.Testing.Processes;

namespace Toolkit.Blob.Tests;

public sealed class KilledClientTests
{
    [Fact]
    public async Task A_client_process_killed_mid_upload_leaves_no_visible_blob()
    {
        await using BlobTestHost host = await BlobTestHost.StartAsync();
        string helper = HelperPaths.Dll(typeof(KilledClientTests).Assembly, "Toolkit.Benchmarks.Blob");
        await using ChildProcess client = ChildProcess.Start("slow-upload", helper, "slow-upload", host.Server.Address!, "job-killed");
        await client.WaitForLineAsync("UPLOADING", TimeSpan.FromSeconds(60));
        await FailureTests.WaitUntilAsync(() => host.IncomingFiles() is [var file] && new FileInfo(file).Length >= 2 * 1024 * 1024);
        Assert.Empty(host.VisibleFiles());

        client.Signal(Signals.Kill);

        await FailureTests.WaitUntilAsync(() => client.HasExited);
        await FailureTests.WaitUntilAsync(() => host.IncomingFiles().Count == 0);
        Assert.Empty(host.VisibleFiles());
        Assert.False((await host.Client().StatAsync(BlobKey.Empty, new JobId("job-killed"))).Exists);
    }
}
