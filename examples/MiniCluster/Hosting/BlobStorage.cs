namespace MiniCluster.Hosting;

/// <summary>
/// Where the cluster keeps blobs: each master runs a blob server (endpoint <c>blobserver</c> beside its resource manager
/// and dispatcher) storing in <see cref="Directory"/> and mirroring permanent blobs to <see cref="HaDirectory"/>, which
/// every master shares so that a new leader serves the inputs its predecessor took in.
/// </summary>
/// <param name="Directory">This master's blob directory.</param>
/// <param name="HaDirectory">The directory all masters share (a shared mount across machines).</param>
public sealed record BlobStorage(string Directory, string HaDirectory)
{
    /// <summary>The blob server's endpoint name on each master.</summary>
    public const string EndpointName = "blobserver";

    /// <summary>The defaults for a cluster named <paramref name="clusterName"/> on this machine: under the temporary directory.</summary>
    public static BlobStorage Default(string clusterName, string nodeId)
    {
        string root = Path.Combine(Path.GetTempPath(), "minicluster-" + string.Concat(clusterName.Where(char.IsAsciiLetterOrDigit)));
        return new BlobStorage(Path.Combine(root, "blobs-" + nodeId), Path.Combine(root, "blobs-ha"));
    }

    /// <summary>The default cache directory of executor <paramref name="executorId"/>.</summary>
    public static string DefaultCache(string executorId) => Path.Combine(Path.GetTempPath(), "minicluster-cache", executorId);
}
