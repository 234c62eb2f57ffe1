namespace Toolkit.Rpc.Streams;

/// <summary>An item stream refused before its call was made: the first <c>MoveNextAsync</c> throws why.</summary>
internal sealed class FailedItemStream<TItem>(Exception failure) : IAsyncEnumerator<TItem>
{
    public TItem Current => throw new InvalidOperationException("The stream has no current item.");

    public ValueTask<bool> MoveNextAsync() => ValueTask.FromException<bool>(failure);

    public ValueTask DisposeAsync() => default;
}
