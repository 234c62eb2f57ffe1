namespace Toolkit.Rpc.Observability.Tests;

[RpcGateway]
public interface IHop
{
    /// <summary>Appends this endpoint's name to <paramref name="path"/> and passes it on to the next hop, if any.</summary>
    Task<string> PassAsync(string path);

    /// <summary>Throws.</summary>
    Task<int> FailAsync(string reason);

    /// <summary>Waits until the gate opens.</summary>
    Task<int> WaitAsync(int value);

    /// <summary>Blocks the main thread until the gate opens (to fill the mailbox behind it).</summary>
    Task<int> BlockAsync(int value);

    void Note(string text);
}

/// <summary>What the endpoints of a test share: where a hop passes calls on, a gate, what it noted.</summary>
public sealed class HopWiring
{
    public Func<string, IHop?> Next { get; set; } = _ => null;

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ManualResetEventSlim Block { get; } = new();

    public TaskCompletionSource Waiting { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<string> Notes { get; } = [];
}

public sealed class HopEndpoint(HopWiring wiring) : RpcEndpoint, IHop
{
    public async Task<string> PassAsync(string path)
    {
        path = $"{path}>{Name}";
        return wiring.Next(Name) is { } next ? await next.PassAsync(path) : path;
    }

    public Task<int> FailAsync(string reason) => throw new InvalidOperationException(reason);

    public async Task<int> WaitAsync(int value)
    {
        wiring.Waiting.TrySetResult();
        await wiring.Gate.Task;
        return value;
    }

    public Task<int> BlockAsync(int value)
    {
        wiring.Waiting.TrySetResult();
#pragma warning disable TK1001 // on purpose: the test fills the mailbox behind a busy main thread
        wiring.Block.Wait(TimeSpan.FromSeconds(20));
#pragma warning restore TK1001
        return Task.FromResult(value);
    }

    public void Note(string text)
    {
        lock (wiring.Notes)
        {
            wiring.Notes.Add(text);
        }
    }
}
