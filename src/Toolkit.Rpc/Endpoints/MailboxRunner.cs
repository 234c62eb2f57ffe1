namespace Toolkit.Rpc;

/// <summary>Runs an endpoint's turns when the thread pool takes it.</summary>
internal sealed class MailboxRunner(Mailbox mailbox) : IThreadPoolWorkItem
{
    public void Execute() => mailbox.RunTurns();
}
