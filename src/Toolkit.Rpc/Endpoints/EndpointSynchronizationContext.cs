using Toolkit.Rpc.Calls;

namespace Toolkit.Rpc;

/// <summary>Posts an endpoint's await continuations to its mailbox, so that they run on its main thread.</summary>
internal sealed class EndpointSynchronizationContext(RpcEndpoint endpoint) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => endpoint.Enqueue(new PostedCallback(d, state));

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (!endpoint.IsInMainThread)
        {
            throw new InvalidOperationException(
                $"Send would block until endpoint '{endpoint.DisplayName}' runs the callback; use Post or RunAsync instead.");
        }

        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
