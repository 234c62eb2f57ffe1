using System.Collections.Concurrent;

namespace Toolkit.HighAvailability.Tests;

/// <summary>A contender that records what it hears; <see cref="Granted"/> completes with the first term.</summary>
public sealed class RecordingContender : ILeaderContender
{
    public TaskCompletionSource<long> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Heard { get; } = new();

    public CancellationToken LastToken { get; private set; }

    public void GrantLeadership(long epoch, CancellationToken leadershipLost)
    {
        LastToken = leadershipLost;
        Heard.Enqueue($"grant {epoch}");
        Granted.TrySetResult(epoch);
    }

    public void RevokeLeadership() => Heard.Enqueue("revoke");

    public void HandleError(Exception error) => Heard.Enqueue("error " + error.Message);
}

/// <summary>A listener that records what it hears.</summary>
public sealed class RecordingListener : ILeaderRetrievalListener
{
    public ConcurrentQueue<LeaderInformation?> Heard { get; } = new();

    public void NotifyLeaderAddress(LeaderInformation? leader) => Heard.Enqueue(leader);

    public void HandleError(Exception error) => throw new InvalidOperationException("retrieval failed", error);
}
