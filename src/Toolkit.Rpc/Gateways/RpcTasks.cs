using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Toolkit.Rpc.Infrastructure;

/// <summary>Adapts endpoint methods' tasks to the <see cref="ValueTask{TResult}"/> the runtime handles; used by generated code.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RpcTasks
{
    /// <summary>Adapts a <see cref="Task"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<RpcVoid> ToVoid(Task task) => task.IsCompletedSuccessfully ? default : AwaitVoid(task);

    /// <summary>Adapts a <see cref="ValueTask"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<RpcVoid> ToVoid(ValueTask task) => task.IsCompletedSuccessfully ? default : AwaitVoid(task.AsTask());

    private static async ValueTask<RpcVoid> AwaitVoid(Task task)
    {
        // ConfigureAwait(false): the runtime only needs to learn the outcome; whoever completes the task may report it.
        await task.ConfigureAwait(false);
        return default;
    }
}
