namespace Toolkit.Blob;

/// <summary>
/// An HA blob store on a directory every server mounts (NFS, a shared volume): each entry written to a temporary file,
/// flushed to disk and renamed into place, so a reader (a new leader) sees an entry whole or not at all.
/// </summary>
public sealed class SharedDirectoryBlobHaStore : IBlobHaStore
{
    private readonly string _root;

    /// <summary>A store in <paramref name="directory"/>, created when missing.</summary>
    public SharedDirectoryBlobHaStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _root = Path.GetFullPath(directory);
        Directory.CreateDirectory(_root);
    }

    /// <inheritdoc />
    public string Description => $"shared directory {_root}";

    /// <inheritdoc />
    public async Task PutAsync(string name, Stream content, CancellationToken cancellation)
    {
        string path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temporary = path + "." + Guid.NewGuid().ToString("n") + ".tmp";
        try
        {
            await using (FileStream file = new(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                await content.CopyToAsync(file, TransferProtocol.BufferSize, cancellation).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            BlobFiles.TryDelete(temporary);
            throw;
        }
    }

    /// <inheritdoc />
    public Task<Stream?> OpenReadAsync(string name, CancellationToken cancellation)
    {
        try
        {
            return Task.FromResult<Stream?>(new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.SequentialScan));
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string name, CancellationToken cancellation)
    {
        string path = PathOf(name);
        BlobFiles.TryDelete(path);
        BlobFiles.TryDeleteEmptyDirectory(Path.GetDirectoryName(path)!, _root);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellation)
    {
        string directory = PathOf(prefix.TrimEnd('/'));
        if (!Directory.Exists(directory))
        {
            return Task.FromResult<IReadOnlyList<string>>([]);
        }

        List<string> names = [];
        foreach (string file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            if (!file.EndsWith(".tmp", StringComparison.Ordinal))
            {
                names.Add(Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/'));
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(names);
    }

    private string PathOf(string name)
    {
        string path = Path.GetFullPath(Path.Combine(_root, name));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && path != _root)
        {
            throw new ArgumentException($"'{name}' leads outside the HA blob store {_root}.", nameof(name));
        }

        return path;
    }
}
