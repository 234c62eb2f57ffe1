using System.Buffers;
using System.IO.Pipelines;

namespace Toolkit.Rpc.Transport;

/// <summary>Reads a connection's frames through a <see cref="PipeReader"/> over its stream, in a loop on the thread pool (TLS connections).</summary>
internal sealed class PipeReceiver(RpcConnection connection) : FrameReceiver(connection)
{
    public override void Start(Func<Task> handshake) => _ = Task.Run(handshake);

    public override void Opened(PipeReader handshakeReader) => _ = ReadLoopAsync(handshakeReader);

    private async Task ReadLoopAsync(PipeReader reader)
    {
        FrameDispatcher dispatcher = Connection.Dispatcher;
        CancellationToken closing = Connection.Closing;
        Exception reason;
        try
        {
            while (true)
            {
                ReadResult result = await reader.ReadAsync(closing).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    dispatcher.HandleFrames(ref buffer);
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);

                    // The callers of the replies just read continue in one work item, which this thread runs next,
                    // once the read below is pending: no core is woken, and the calls they make go out in one write.
                    dispatcher.HandOverReplies();
                }

                if (result.IsCompleted)
                {
                    reason = PeerClosed(buffer.Length);
                    break;
                }

                while (Connection.NextReadingPause() is { } pause)
                {
                    await pause.WaitAsync(closing).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            reason = new IOException("the connection was closed");
        }
        catch (Exception exception)
        {
            reason = ReadFailure(exception);
        }

        await reader.CompleteAsync().ConfigureAwait(false);
        Connection.Close(reason);
    }
}
