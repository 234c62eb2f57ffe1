using System.Collections.Concurrent;

namespace Toolkit.Rpc.Transport;

/// <summary>
/// Where the accepting side of a call connection waits for its byte-stream link: the call handshake registers the
/// link's key (the server's nonce of that handshake, which only the two sides know) before it answers Ready, and the
/// link's own handshake delivers the stream under it. A key nobody delivers within the connect timeout fails.
/// </summary>
internal sealed class LinkRendezvous
{
    private readonly ConcurrentDictionary<string, Expected> _expected = new(StringComparer.Ordinal);

    /// <summary>Waits for the link with <paramref name="key"/> from <paramref name="peerNodeId"/>, for at most <paramref name="timeout"/>.</summary>
    public Task<Stream> Expect(byte[] key, string peerNodeId, string displayAddress, TimeSpan timeout)
    {
        string name = Convert.ToHexString(key);
        Expected expected = new(peerNodeId, new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously));
        _expected[name] = expected;
        _ = FailLateAsync(name, expected, displayAddress, timeout);
        return expected.Link.Task;
    }

    /// <summary>Whether a call connection with <paramref name="nodeId"/> waits for the link named <paramref name="key"/>; else why not.</summary>
    public bool IsExpected(byte[] key, string nodeId, out string? problem)
    {
        problem = !_expected.TryGetValue(Convert.ToHexString(key), out Expected? expected)
            ? "no call connection waits for this byte-stream link (it closed, or its link came too late)"
            : expected.PeerNodeId != nodeId ? $"the byte-stream link comes from service {nodeId}, but its call connection is with {expected.PeerNodeId}"
            : null;
        return problem is null;
    }

    /// <summary>Hands an authenticated link to the call connection that waits for it; null when it was delivered, else why not.</summary>
    public string? Deliver(byte[] key, string nodeId, Stream link)
    {
        if (!_expected.TryGetValue(Convert.ToHexString(key), out Expected? expected))
        {
            return "no call connection waits for this byte-stream link (it closed, or its link came too late)";
        }

        if (expected.PeerNodeId != nodeId)
        {
            return $"the byte-stream link comes from service {nodeId}, but its call connection is with {expected.PeerNodeId}";
        }

        if (!_expected.TryRemove(new KeyValuePair<string, Expected>(Convert.ToHexString(key), expected)))
        {
            return "the byte-stream link of this call connection is already open";
        }

        expected.Link.TrySetResult(link);
        return null;
    }

    private async Task FailLateAsync(string name, Expected expected, string displayAddress, TimeSpan timeout)
    {
        await Task.Delay(timeout).ConfigureAwait(false);
        if (_expected.TryRemove(new KeyValuePair<string, Expected>(name, expected)))
        {
            expected.Link.TrySetException(new RpcConnectionException(displayAddress,
                $"{displayAddress} did not open its byte-stream connection within the connect timeout of {timeout.TotalMilliseconds:0} ms"));
        }
    }

    private sealed record Expected(string PeerNodeId, TaskCompletionSource<Stream> Link);
}
