namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>The peer broke the protocol: the connection closes with this as the logged reason.</summary>
internal sealed class ProtocolViolationException(string message) : Exception(message);
