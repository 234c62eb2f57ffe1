using System.Threading.Channels;

namespace Toolkit.Benchmarks.InProcess;

/// <summary>
/// The baseline an RPC runtime is measured against: what one writes by hand for a single-threaded actor — an
/// unbounded channel drained by one consumer task, and a TaskCompletionSource per request that wants an answer.
/// </summary>
public sealed class ChannelMailbox : IAsyncDisposable
{
    private readonly Channel<Request> _channel = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions
    {
        SingleReader = true,
        // The consumer must not run inline in a writer's TryWrite, as the endpoint's main thread never does.
        AllowSynchronousContinuations = false,
    });

    private readonly Task _consumer;
    private long _tells;

    public ChannelMailbox() => _consumer = Task.Run(ConsumeAsync);

    public Task<long> AskAsync(long x)
    {
        // RunContinuationsAsynchronously, as Toolkit's pending calls: the caller resumes on the pool, not on the consumer.
        TaskCompletionSource<long> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _channel.Writer.TryWrite(new Request(RequestKind.Ask, x, reply));
        return reply.Task;
    }

    public void Tell(long x) => _channel.Writer.TryWrite(new Request(RequestKind.Tell, x, null));

    public Task<long> CountTellsAsync()
    {
        TaskCompletionSource<long> reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _channel.Writer.TryWrite(new Request(RequestKind.CountTells, 0, reply));
        return reply.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _consumer;
    }

    private async Task ConsumeAsync()
    {
        ChannelReader<Request> reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out Request request))
            {
                switch (request.Kind)
                {
                    case RequestKind.Ask:
                        request.Reply!.SetResult(request.Value + 1);
                        break;
                    case RequestKind.Tell:
                        _tells++;
                        break;
                    case RequestKind.CountTells:
                        request.Reply!.SetResult(_tells);
                        break;
                }
            }
        }
    }

    private enum RequestKind
    {
        Ask,
        Tell,
        CountTells,
    }

    private readonly record struct Request(RequestKind Kind, long Value, TaskCompletionSource<long>? Reply);
}
