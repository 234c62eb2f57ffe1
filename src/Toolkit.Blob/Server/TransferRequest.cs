namespace Toolkit.Blob;

/// <summary>A decoded transfer request; <see cref="Holder"/> is the uploader's holder id (permanent uploads), or null.</summary>
internal readonly record struct TransferRequest(TransferOperation Operation, BlobKind Kind, JobId? Job, string? Holder, BlobKey Key, long Offset);
