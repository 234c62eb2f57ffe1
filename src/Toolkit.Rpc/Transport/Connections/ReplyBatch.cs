namespace Toolkit.Rpc.Transport;

/// <summary>
/// Hands the replies of one read to their callers, whose continuations run here one after another; the calls they
/// make meanwhile are held back and sent together when the batch is done.
/// </summary>
internal sealed class ReplyBatch(RpcConnection connection, List<RemoteCall> calls) : IThreadPoolWorkItem
{
    public void Execute()
    {
        connection.HoldSends();
        try
        {
            foreach (RemoteCall call in calls)
            {
                Publish(connection, call);
            }
        }
        finally
        {
            connection.ReleaseSends();
        }
    }

    /// <summary>Hands <paramref name="call"/> its reply: its caller continues on this thread.</summary>
    public static void Publish(RpcConnection connection, RemoteCall call)
    {
        try
        {
            call.Publish();
        }
        catch (Exception exception)
        {
            // An await continuation does not throw into its completer; should anything else, the batch's other
            // callers must still get their replies.
            TransportLog.ContinuationFailed(connection.Host.TransportLogger, exception, connection.DisplayAddress);
        }
    }
}
