using System.Buffers;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// The bytes a peer sends from the moment it connects, read as the handshake reads them (RpcConnection.Handshake.cs):
/// the preamble (<see cref="Frames.ReadPreamble"/>), then frames taken by <see cref="Frames.TryRead"/> under the hello
/// limit for the first and the frame limit after it, each copied out and read by its type's reader in
/// <see cref="Handshake"/>; the contracts a peer sends are compared with this process's gateways. The handshake fails on
/// <see cref="ProtocolViolationException"/> or <see cref="RpcSerializationException"/>; anything else is a finding.
/// </summary>
/// <remarks>Input: the stream itself.</remarks>
public static class HandshakeTarget
{
    public static bool Run(ReadOnlyMemory<byte> input)
    {
        if (input.Length < Frames.PreambleSize)
        {
            // The handshake is still waiting for the preamble.
            return false;
        }

        try
        {
            Frames.ReadPreamble(input.Span[..Frames.PreambleSize]);
            ReadOnlySequence<byte> buffer = new(input[Frames.PreambleSize..]);
            int limit = ConnectionHandshake.HelloLimit;
            while (Frames.TryRead(ref buffer, limit, out FrameType type, out ReadOnlySequence<byte> frame))
            {
                limit = RpcTransportOptions.DefaultMaxFrameSize;
                ReadOnlySequence<byte> body = new(frame.ToArray());
                switch (type)
                {
                    case FrameType.Hello or FrameType.Welcome:
                        HelloFrame.Read(body);
                        break;
                    case FrameType.Proof or FrameType.Ready:
                        Handshake.CompareContracts(ProofFrame.Read(body).Gateways, "the fuzz", "its peer");
                        break;
                    case FrameType.Refused:
                        RefusedFrame.Read(body);
                        break;
                    default:
                        throw new ProtocolViolationException($"expected a handshake frame, got {type}");
                }
            }

            return buffer.IsEmpty;
        }
        catch (Exception exception) when (exception is ProtocolViolationException or RpcSerializationException)
        {
            // The handshake fails with this as its reason.
            return false;
        }
    }
}
