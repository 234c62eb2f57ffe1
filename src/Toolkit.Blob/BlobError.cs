namespace Toolkit.Blob;

/// <summary>What went wrong with a blob operation; also the status codes of the transfer protocol.</summary>
public enum BlobError : byte
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The server has no such blob (never uploaded, deleted, or a transient blob already read).</summary>
    NotFound = 1,

    /// <summary>The server runs its maximum of transfers and its backlog is full; retry later.</summary>
    Busy = 2,

    /// <summary>Content does not match its key: corrupted on disk, or damaged in transit.</summary>
    HashMismatch = 3,

    /// <summary>An upload ended before its end marker: the client stopped or the connection dropped.</summary>
    Truncated = 4,

    /// <summary>The peer sent nothing for longer than the idle timeout.</summary>
    Timeout = 5,

    /// <summary>The server has no room for the blob (free space below its reserve, or the disk is full).</summary>
    StorageFull = 6,

    /// <summary>The request was malformed: a job id or key that is not valid, an unknown operation, a bad frame.</summary>
    BadRequest = 7,

    /// <summary>Authentication failed: shared secret or TLS configured on one side only, or different secrets.</summary>
    Refused = 8,

    /// <summary>The connection failed or closed before the operation completed.</summary>
    ConnectionLost = 9,

    /// <summary>The server failed for a reason of its own (an I/O error); its log says more.</summary>
    ServerError = 10,
}
