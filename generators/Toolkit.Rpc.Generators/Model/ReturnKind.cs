namespace Toolkit.Rpc.Generators.Model;

/// <summary>How a gateway method returns.</summary>
internal enum ReturnKind
{
    Void,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: an item stream.</summary>
    Stream,
}
