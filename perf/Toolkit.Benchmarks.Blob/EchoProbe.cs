using System.Diagnostics;
using Toolkit.Benchmarks.Echo;

namespace Toolkit.Benchmarks.Blob;

/// <summary>echo-64 over the call connection: one call in flight, awaited, its reply checked (as EchoLoop does).</summary>
internal sealed class EchoProbe(IEchoGateway gateway) : LatencyProbe
{
    private Task _completion = Task.CompletedTask;

    protected override Task Completion => _completion;

    public override void Start() => _completion = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        byte[] payload = new byte[PingPong.Size];
        new Random(11).NextBytes(payload);
        long sequence = 0;
        while (!Stopped)
        {
            long id = ++sequence;
            long issued = Stopwatch.GetTimestamp();
            EchoMessage reply;
            try
            {
                reply = await gateway.EchoAsync(new EchoMessage(id, payload));
            }
            catch (RpcException exception)
            {
                Fail(exception);
                continue;
            }

            long completed = Stopwatch.GetTimestamp();
            if (reply.Id != id || !reply.Payload.AsSpan().SequenceEqual(payload))
            {
                Fail(new InvalidDataException($"echo {id} came back as {reply.Id}"));
            }
            else
            {
                Record(issued, completed);
            }
        }
    }
}
