using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Rpc;

namespace Toolkit.Corpus;

public abstract class HealthyEndpoint : RpcEndpoint, IHealthGateway
{
    public Task PingAsync() => Task.CompletedTask;

    public ValueTask<bool> IsHealthyAsync(CancellationToken cancellation) => new(!cancellation.IsCancellationRequested);
}

public sealed class CorpusEndpoint : HealthyEndpoint, ICorpusGateway
{
    public Point? LastPoint { get; private set; }

    public string? LastEvent { get; private set; }

    public Label? LastLabel { get; private set; }

    public void Tell(Point point) => LastPoint = point;

    public void Publish(string @event, int @class, Color color) => LastEvent = $"{@event}/{@class}/{color}";

    public Task StoreAsync(Label label)
    {
        LastLabel = label;
        return Task.CompletedTask;
    }

    public Task StoreAsync(Point point)
    {
        LastPoint = point;
        return Task.CompletedTask;
    }

    public ValueTask ClearAsync(TimeSpan timeout)
    {
        LastPoint = null;
        return ValueTask.CompletedTask;
    }

    public Task<Scalars> EchoScalarsAsync(Scalars value) => Task.FromResult(value);

    public ValueTask<Nullables> EchoNullablesAsync(Nullables value, CancellationToken cancellation) => new(value);

    public Task<Arrays> EchoArraysAsync(Arrays value, TimeSpan timeout) => Task.FromResult(value);

    public Task<Collections> EchoCollectionsAsync(Collections value, TimeSpan timeout, CancellationToken cancellation) => Task.FromResult(value);

    public Task<Settings?> EchoSettingsAsync(Settings? settings) => Task.FromResult(settings);

    public Task<Account> EchoAccountAsync(Account account) => Task.FromResult(account);

    public Task<Tagged> EchoTaggedAsync(Tagged tagged) => Task.FromResult(tagged);

    public ValueTask<Vector> EchoVectorAsync(Vector vector) => new(vector);

    public ValueTask<Span?> EchoSpanAsync(Span? span) => new(span);

    public async Task<long> UploadAsync(string name, System.IO.Stream data, CancellationToken cancellation)
    {
        await using (data)
        {
            byte[] buffer = new byte[4096];
            long total = 0;
            int read;
            while ((read = await data.ReadAsync(buffer, cancellation)) > 0)
            {
                total += read;
            }

            return total;
        }
    }

    public ValueTask<System.IO.Pipelines.PipeReader?> DownloadAsync(string name) =>
        ValueTask.FromResult<System.IO.Pipelines.PipeReader?>(System.IO.Pipelines.PipeReader.Create(new System.Buffers.ReadOnlySequence<byte>(System.Text.Encoding.UTF8.GetBytes(name))));

    public async IAsyncEnumerable<Point> TracePointsAsync(int count, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new Point(i, -i);
        }
    }

    public Task<Shape?> EchoShapeAsync(Shape? shape) => Task.FromResult(shape);

    public async Task<RegistrationResponse> RegisterAsync(Registration registration)
    {
        string answer = await registration.Callback.NotifyAsync("welcome " + registration.Name);
        return registration.Backup is null
            ? new RegistrationResponse.Success(Guid.Empty, TimeSpan.FromSeconds(answer.Length))
            : new RegistrationResponse.Decline("a backup is not needed");
    }

    public Task<IJobEvent[]> EchoEventsAsync(IJobEvent[] events) => Task.FromResult(events);

    public Task<TreeNode> EchoTreeAsync(TreeNode tree) => Task.FromResult(tree);

    public Task<Chain> EchoChainAsync(Chain chain) => Task.FromResult(chain);

    public Task<int?> EchoCountAsync(int? count) => Task.FromResult(count);

    public Task<string?> EchoTextAsync(string? text) => Task.FromResult(text);

    public Task<Guid> EchoGuidAsync(Guid id) => Task.FromResult(id);

    public Task<DateTimeOffset?> EchoOffsetAsync(DateTimeOffset? offset) => Task.FromResult(offset);

    public Task<ReadOnlyMemory<byte>> EchoBytesAsync(ReadOnlyMemory<byte> bytes) => Task.FromResult(bytes);

    public Task<Dictionary<string, int>?> EchoCountsAsync(Dictionary<string, int>? counts) => Task.FromResult(counts);

    public Task<int[]> EchoIntsAsync(int[] ints) => Task.FromResult(ints);

    public Task<ICallbackGateway?> EchoCallbackAsync(ICallbackGateway? callback) => Task.FromResult(callback);

    public Task<Page<Point>> EchoPageAsync(Page<Point> page) => Task.FromResult(page);

    public Task<Keywords> EchoKeywordsAsync(Keywords keywords) => Task.FromResult(keywords);

    public Task<Required> EchoRequiredAsync(Required required) => Task.FromResult(required);

    public Task<Envelope> EchoEnvelopeAsync(Envelope envelope) => Task.FromResult(envelope);
}

public sealed class CallbackEndpoint : RpcEndpoint, ICallbackGateway
{
    public List<string> Messages { get; } = new();

    public Task<string> NotifyAsync(string message)
    {
        Messages.Add(message);
        return Task.FromResult("ok:" + message);
    }
}
