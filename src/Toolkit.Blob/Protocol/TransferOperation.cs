namespace Toolkit.Blob;

/// <summary>What a transfer connection was opened for (the request's first byte).</summary>
internal enum TransferOperation : byte
{
    Put = 1,
    Get = 2,
}
