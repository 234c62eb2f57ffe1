using System.ComponentModel;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>How a gateway method is called.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum RpcMethodKind
{
    /// <summary>Request/response: the caller awaits a reply or an error.</summary>
    Ask,

    /// <summary>One-way (<c>void</c>): the caller never waits and never hears of failures.</summary>
    Tell,

    /// <summary>An item stream (<c>IAsyncEnumerable&lt;T&gt;</c>): the producer runs on the endpoint's main thread, items flow back with credit-based flow control.</summary>
    Stream,
}
