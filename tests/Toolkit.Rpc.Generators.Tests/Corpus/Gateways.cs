using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Rpc;

namespace Toolkit.Corpus;

[RpcGateway]
public interface IHealthGateway
{
    Task PingAsync();

    ValueTask<bool> IsHealthyAsync(CancellationToken cancellation);
}

[RpcGateway]
public interface ICallbackGateway
{
    Task<string> NotifyAsync(string message);
}

[RpcGateway]
public interface ICorpusGateway : IHealthGateway
{
    void Tell(Point point);

    void Publish(string @event, int @class, Color color);

    Task StoreAsync(Label label);

    Task StoreAsync(Point point);

    ValueTask ClearAsync([RpcTimeout] TimeSpan timeout);

    Task<Scalars> EchoScalarsAsync(Scalars value);

    ValueTask<Nullables> EchoNullablesAsync(Nullables value, CancellationToken cancellation);

    Task<Arrays> EchoArraysAsync(Arrays value, [RpcTimeout] TimeSpan timeout);

    Task<Collections> EchoCollectionsAsync(Collections value, [RpcTimeout] TimeSpan timeout, CancellationToken cancellation);

    [RpcTimeout(2500)]
    Task<Settings?> EchoSettingsAsync(Settings? settings);

    Task<Account> EchoAccountAsync(Account account);

    Task<Tagged> EchoTaggedAsync(Tagged tagged);

    ValueTask<Vector> EchoVectorAsync(Vector vector);

    ValueTask<Span?> EchoSpanAsync(Span? span);

    IAsyncEnumerable<Point> TracePointsAsync(int count, CancellationToken cancellation);

    Task<long> UploadAsync(string name, System.IO.Stream data, CancellationToken cancellation);

    ValueTask<System.IO.Pipelines.PipeReader?> DownloadAsync(string name);

    Task<Shape?> EchoShapeAsync(Shape? shape);

    Task<RegistrationResponse> RegisterAsync(Registration registration);

    Task<IJobEvent[]> EchoEventsAsync(IJobEvent[] events);

    Task<TreeNode> EchoTreeAsync(TreeNode tree);

    Task<Chain> EchoChainAsync(Chain chain);

    Task<int?> EchoCountAsync(int? count);

    Task<string?> EchoTextAsync(string? text);

    Task<Guid> EchoGuidAsync(Guid id);

    Task<DateTimeOffset?> EchoOffsetAsync(DateTimeOffset? offset);

    Task<ReadOnlyMemory<byte>> EchoBytesAsync(ReadOnlyMemory<byte> bytes);

    Task<Dictionary<string, int>?> EchoCountsAsync(Dictionary<string, int>? counts);

    Task<int[]> EchoIntsAsync(int[] ints);

    Task<ICallbackGateway?> EchoCallbackAsync(ICallbackGateway? callback);

    Task<Page<Point>> EchoPageAsync(Page<Point> page);

    Task<Keywords> EchoKeywordsAsync(Keywords keywords);

    Task<Required> EchoRequiredAsync(Required required);

    Task<Envelope> EchoEnvelopeAsync(Envelope envelope);
}
