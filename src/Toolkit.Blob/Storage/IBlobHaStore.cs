namespace Toolkit.Blob;

/// <summary>
/// Durable storage shared by every blob server of a deployment, so that a new leader serves the permanent blobs its
/// predecessor took in (Flink's <c>BlobStore</c>). Names are relative paths of the form <c>jobs/{job}/{key}</c>,
/// already validated. <see cref="SharedDirectoryBlobHaStore"/> is the default.
/// </summary>
public interface IBlobHaStore
{
    /// <summary>Where the store is, for messages.</summary>
    string Description { get; }

    /// <summary>Stores <paramref name="content"/> under <paramref name="name"/>, replacing it; a reader never sees it half-written.</summary>
    Task PutAsync(string name, Stream content, CancellationToken cancellation);

    /// <summary>Opens <paramref name="name"/> for reading, or returns null when the store has no such entry.</summary>
    Task<Stream?> OpenReadAsync(string name, CancellationToken cancellation);

    /// <summary>Deletes <paramref name="name"/>; nothing happens when it does not exist.</summary>
    Task DeleteAsync(string name, CancellationToken cancellation);

    /// <summary>The names under <paramref name="prefix"/> (such as <c>jobs/</c>), at any depth.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellation);
}
