namespace Toolkit.Rpc.Calls;

/// <summary>How the mailbox treats an item while the endpoint is not running.</summary>
internal enum MailboxItemKind
{
    /// <summary>An await continuation or posted callback: always runs, so that started work can finish.</summary>
    Continuation,

    /// <summary>Work the endpoint gave itself (RunAsync, CallAsync, ScheduleRunAsync): runs while starting or running.</summary>
    Internal,

    /// <summary>A gateway call: waits while the endpoint starts, runs while it runs, fails otherwise.</summary>
    Call,
}
