using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc;

/// <summary>What a <see cref="ByteStreamLink"/> needs of the call connection it belongs to.</summary>
/// <param name="DisplayAddress">How errors name the peer.</param>
/// <param name="IsOpener">Whether this side opened the link (it opened the call connection).</param>
/// <param name="UnclaimedTimeout">How long a sent stream waits for its receiver to take it.</param>
/// <param name="Logger">Where the link logs.</param>
/// <param name="Lost">Called once when the link fails while open: the call connection closes with it.</param>
internal sealed record ByteStreamLinkContext(string DisplayAddress, bool IsOpener, TimeSpan UnclaimedTimeout, ILogger Logger, Action<Exception> Lost);
