using System.Buffers;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// Where the frame target's dispatch reports: a result is written and dropped; a failure is allowed only while the
/// arguments were being read, and only as <see cref="RpcSerializationException"/> (the endpoint itself never fails).
/// </summary>
internal sealed class FuzzReply : RpcReply
{
    private readonly ArrayBufferWriter<byte> _result = new();

    /// <summary>Whether the last dispatch ended in a rejection of its arguments.</summary>
    public bool Rejected { get; private set; }

    public override RpcSerializationContext? SerializationContext => FuzzContext.Instance;

    /// <summary>Readies the reply for the next dispatch.</summary>
    public void Reset()
    {
        _result.ResetWrittenCount();
        Rejected = false;
    }

    public override IBufferWriter<byte> BeginResult() => _result;

    public override void EndResult()
    {
    }

    public override void Fail(Exception exception)
    {
        Rejected = true;
        if (exception is not RpcSerializationException)
        {
            throw new FuzzContractViolation($"reading a request's arguments threw {exception.GetType().FullName}: {exception.Message}", exception);
        }
    }
}
