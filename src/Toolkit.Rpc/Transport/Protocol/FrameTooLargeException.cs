namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>Encoding stopped: the frame grew past the limit it was rented with.</summary>
/// <param name="written">The bytes written when it stopped.</param>
/// <param name="limit">The frame limit.</param>
internal sealed class FrameTooLargeException(int written, int limit)
    : Exception($"the frame passed the frame limit of {limit:N0} bytes (encoding stopped after {written:N0} bytes)")
{
    public int Written { get; } = written;

    public int Limit { get; } = limit;
}
