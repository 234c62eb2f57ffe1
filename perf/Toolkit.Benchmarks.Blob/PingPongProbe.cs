using System.Diagnostics;
using System.Net.Sockets;

namespace Toolkit.Benchmarks.Blob;

/// <summary>The plain ping-pong's client: a dedicated thread, blocking send and receive on its own connection.</summary>
internal sealed class PingPongProbe(Socket socket) : LatencyProbe
{
    private Task _completion = Task.CompletedTask;

    protected override Task Completion => _completion;

    public override void Start()
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _completion = done.Task;
        new Thread(() =>
        {
            byte[] request = new byte[PingPong.Size];
            byte[] reply = new byte[PingPong.Size];
            new Random(7).NextBytes(request);
            long sequence = 0;
            try
            {
                while (!Stopped)
                {
                    BitConverter.TryWriteBytes(request, ++sequence);
                    long issued = Stopwatch.GetTimestamp();
                    socket.Send(request);
                    if (!PingPong.ReceiveExactly(socket, reply))
                    {
                        throw new IOException("the ping-pong server closed the connection");
                    }

                    long completed = Stopwatch.GetTimestamp();
                    if (!reply.AsSpan().SequenceEqual(request))
                    {
                        Fail(new InvalidDataException($"ping {sequence} came back different"));
                    }
                    else
                    {
                        Record(issued, completed);
                    }
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException)
            {
                Fail(exception);
            }

            done.SetResult();
        })
        { IsBackground = true, Name = "ping-pong client" }.Start();
    }
}
