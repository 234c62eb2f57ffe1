using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Toolkit.Rpc.Observability.Tests;

/// <summary>The client and server spans of ActivitySource Toolkit.Rpc, and the trace context between processes.</summary>
public sealed class TracingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly string Gateway = typeof(IHop).FullName!;

    [Fact]
    public async Task A_two_hop_remote_call_is_one_trace_whose_spans_parent_correctly()
    {
        using SpanRecorder spans = new();

        // A (client mode) calls B, whose endpoint calls C: three services over loopback.
        HopWiring wiring = new();
        await using RpcService c = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", NodeId = "c" });
        await c.StartEndpointAsync(new HopEndpoint(wiring), "c");
        await using RpcService b = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0", NodeId = "b" });
        IHop toC = b.GetRemoteGateway<IHop>($"rpc://{c.Address}/c");
        wiring.Next = name => name == "b" ? toC : null;
        await b.StartEndpointAsync(new HopEndpoint(wiring), "b");
        await using RpcService a = await RpcService.StartAsync(new RpcServiceOptions { NodeId = "a" });
        IHop toB = a.GetRemoteGateway<IHop>($"rpc://{b.Address}/b");

        Activity root = spans.StartRoot();
        string path = await toB.PassAsync("a").WaitAsync(Bound);
        root.Stop();
        Assert.Equal("a>b>c", path);

        Activity[] recorded = await spans.RpcSpansAsync(4);
        Assert.Equal(4, recorded.Length);
        Assert.All(recorded, span => Assert.Equal(root.TraceId, span.TraceId));
        Assert.All(recorded, span => Assert.Equal($"{Gateway}/PassAsync", span.DisplayName));

        Activity clientB = Single(recorded, ActivityKind.Client, "b");
        Activity serverB = Single(recorded, ActivityKind.Server, "b");
        Activity clientC = Single(recorded, ActivityKind.Client, "c");
        Activity serverC = Single(recorded, ActivityKind.Server, "c");
        Assert.Equal(root.SpanId, clientB.ParentSpanId);
        Assert.Equal(clientB.SpanId, serverB.ParentSpanId);
        Assert.Equal(serverB.SpanId, clientC.ParentSpanId);
        Assert.Equal(clientC.SpanId, serverC.ParentSpanId);
        Assert.True(serverB.HasRemoteParent);
        Assert.True(serverC.HasRemoteParent);

        // OpenTelemetry's RPC attributes.
        Assert.Equal("toolkit", clientB.GetTagItem("rpc.system"));
        Assert.Equal(Gateway, clientB.GetTagItem("rpc.service"));
        Assert.Equal("PassAsync", serverC.GetTagItem("rpc.method"));
        Assert.Equal(b.Address, clientB.GetTagItem("server.address"));
        Assert.Equal("ok", serverC.GetTagItem("rpc.toolkit.status"));
        Assert.All(recorded, span => Assert.Equal(ActivityStatusCode.Unset, span.Status));
    }

    [Fact]
    public async Task A_local_call_chain_is_one_trace_with_the_server_span_a_child_of_the_client_span()
    {
        using SpanRecorder spans = new();
        HopWiring wiring = new();
        await using RpcService service = await RpcService.StartAsync();
        await service.StartEndpointAsync(new HopEndpoint(wiring), "x");
        await service.StartEndpointAsync(new HopEndpoint(wiring), "y");
        IHop toY = service.GetGateway<IHop>("y");
        wiring.Next = name => name == "x" ? toY : null;

        Activity root = spans.StartRoot();
        Assert.Equal(">x>y", await service.GetGateway<IHop>("x").PassAsync("").WaitAsync(Bound));
        Assert.Same(root, Activity.Current);
        root.Stop();

        Activity[] recorded = await spans.RpcSpansAsync(4);
        Activity clientX = Single(recorded, ActivityKind.Client, "x");
        Activity serverX = Single(recorded, ActivityKind.Server, "x");
        Activity clientY = Single(recorded, ActivityKind.Client, "y");
        Activity serverY = Single(recorded, ActivityKind.Server, "y");
        Assert.Equal(root.SpanId, clientX.ParentSpanId);
        Assert.Equal(clientX.SpanId, serverX.ParentSpanId);
        Assert.Equal(serverX.SpanId, clientY.ParentSpanId);
        Assert.Equal(clientY.SpanId, serverY.ParentSpanId);
        Assert.False(serverY.HasRemoteParent);
    }

    [Fact]
    public async Task A_failed_call_ends_its_spans_with_an_error_status_and_its_kind()
    {
        using SpanRecorder spans = new();
        HopWiring wiring = new();
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new HopEndpoint(wiring), "hop");
        await using RpcService client = await RpcService.StartAsync();
        IHop hop = client.GetRemoteGateway<IHop>($"rpc://{server.Address}/hop");

        using (spans.StartRoot())
        {
            await Assert.ThrowsAsync<RpcRemoteException>(() => hop.FailAsync("broken").WaitAsync(Bound));
        }

        Activity[] recorded = await spans.RpcSpansAsync(2);
        Assert.Equal(2, recorded.Length);
        Assert.All(recorded, span =>
        {
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("exception", span.GetTagItem("error.type"));
            Assert.Contains("broken", span.StatusDescription, StringComparison.Ordinal);
            Assert.Contains(span.Events, item => item.Name == "exception");
        });
    }

    [Fact]
    public async Task Calls_made_outside_a_sampled_trace_start_no_span_on_either_side()
    {
        using SpanRecorder spans = new();
        HopWiring wiring = new();
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new HopEndpoint(wiring), "hop");
        await using RpcService client = await RpcService.StartAsync();
        IHop hop = client.GetRemoteGateway<IHop>($"rpc://{server.Address}/hop");

        Activity? seen = null;
        wiring.Next = _ =>
        {
            seen = Activity.Current;
            return null;
        };
        Assert.Equal(">hop", await hop.PassAsync("").WaitAsync(Bound));
        Assert.Null(seen);
        Assert.Empty(await spans.RpcSpansAsync(0));
    }

    [Fact]
    public async Task Only_a_recorded_span_adds_its_trace_context_to_the_request_frame()
    {
        using SpanRecorder spans = new();
        using ServiceProvider meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using MetricCollector<long> requestSize = new(meters.GetRequiredService<IMeterFactory>(), RpcTelemetry.MeterName, "rpc.client.request.size");
        HopWiring wiring = new();
        await using RpcService server = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await server.StartEndpointAsync(new HopEndpoint(wiring), "hop");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions { MeterFactory = meters.GetRequiredService<IMeterFactory>() });
        IHop hop = client.GetRemoteGateway<IHop>($"rpc://{server.Address}/hop");

        // Outside the recorder's trace, no listener samples the call: the request is the plain frame.
        await hop.PassAsync("x").WaitAsync(Bound);
        using (Activity unrecorded = new Activity("not sampled by anyone").Start())
        {
            await hop.PassAsync("x").WaitAsync(Bound);
        }

        using (spans.StartRoot())
        {
            await hop.PassAsync("x").WaitAsync(Bound);
        }

        long[] sizes = [.. requestSize.GetMeasurementSnapshot().Select(measurement => measurement.Value)];
        Assert.Equal(3, sizes.Length);
        Assert.Equal(sizes[0], sizes[1]);

        // Sampled: one extension count byte, the tag, its uint16 length, version, trace id, span id and flags.
        Assert.Equal(sizes[0] + 1 + 1 + 2 + 1 + 16 + 8 + 1, sizes[2]);
        Assert.Equal(2, (await spans.RpcSpansAsync(2)).Length);
    }

    private static Activity Single(Activity[] spans, ActivityKind kind, string endpoint) =>
        Assert.Single(spans, span => span.Kind == kind && (string?)span.GetTagItem("rpc.toolkit.endpoint") == endpoint);
}
