namespace Toolkit.Rpc.Transport.Streams;

/// <summary>The producing end of a remote item stream, as the connection's reader sees it.</summary>
internal interface IItemStreamProducer
{
    /// <summary>The consumer granted <paramref name="credit"/> more items.</summary>
    void Grant(int credit);
}
