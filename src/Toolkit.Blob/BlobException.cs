namespace Toolkit.Blob;

/// <summary>A blob operation failed; <see cref="Error"/> says how, the message says what and where.</summary>
public sealed class BlobException : Exception
{
    /// <summary>A failure of kind <paramref name="error"/>.</summary>
    public BlobException(BlobError error, string message, Exception? inner = null)
        : base(message, inner) => Error = error;

    /// <summary>Creates an exception with a generic message.</summary>
    public BlobException()
        : this(BlobError.ServerError, "A blob operation failed.")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public BlobException(string message)
        : this(BlobError.ServerError, message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    public BlobException(string message, Exception inner)
        : this(BlobError.ServerError, message, inner)
    {
    }

    /// <summary>What kind of failure this is.</summary>
    public BlobError Error { get; }

    /// <summary>
    /// Whether trying again may succeed: a busy server, a lost connection, a timeout, content damaged in transit or a
    /// server error. Not found, bad requests, refused authentication and a full store are final.
    /// </summary>
    public bool IsRetryable => Error is BlobError.Busy or BlobError.ConnectionLost or BlobError.Timeout
        or BlobError.HashMismatch or BlobError.Truncated or BlobError.ServerError;
}
