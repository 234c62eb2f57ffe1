using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;
using Xunit.Abstractions;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>
/// The other direction: a service that connects out meets a hostile server, which answers its handshake, lookup and
/// calls with mutated, truncated, misdirected or random frames. The connecting service's calls must end with a Toolkit
/// error (or the right result), never hang past their bounds, never throw anything else, and its connection to a
/// well-behaved server must not notice.
/// </summary>
public sealed class HostileServerFuzzTests(ITestOutputHelper output)
{
    // Long enough for the honest connection on a loaded machine; hostile sessions end sooner, when the hostile side closes.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private const int Lanes = 4;

    private static readonly TimeSpan CallTimeout = TimeSpan.FromMilliseconds(150);

    [Fact]
    public async Task Fuzz_a_hostile_server_ends_the_clients_calls_with_rpc_errors_while_its_other_connection_keeps_working()
    {
        int seed = Fuzz.Seed(output, 4001);
        RecordingLoggerFactory clientLogs = new();
        await using RpcService honest = await RpcService.StartAsync(new RpcServiceOptions { Listen = "127.0.0.1:0" });
        await honest.StartEndpointAsync(new ProbeEndpoint(), "probe");
        await using RpcService client = await RpcService.StartAsync(new RpcServiceOptions
        {
            NodeId = "fuzzed-client",
            LoggerFactory = clientLogs,
            DefaultTimeout = CallTimeout,
            Transport = new RpcTransportOptions { ConnectTimeout = ConnectTimeout },
        });
        IProbeGateway healthy = await client.ConnectAsync<IProbeGateway>($"rpc://{honest.Address}/probe");
        Dictionary<string, int> outcomes = new(StringComparer.Ordinal);

        // Sessions spend most of their time waiting for timeouts: four lanes run side by side, each from its own seed.
        await Task.WhenAll(Enumerable.Range(0, Lanes).Select(lane => Fuzz.RunAsync(output, TimeSpan.FromSeconds(2), 250, async iteration =>
        {
            Random random = new(unchecked((seed * 1_000_003) + (lane * 65_537) + iteration));
            string context = $"{Fuzz.Replay(seed, iteration)}, lane {lane}";
            int stage = Math.Min(3, random.Next(6));
            Socket listener = new(SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            HostileServer server = new(random, stage, port);
            Task hostile = server.RunAsync(listener);

            string outcome = await ClientSessionAsync(client, port, new Random(random.Next()), context);
            server.Stop();
            await hostile.WaitAsync(HostileConnection.Bound);
            lock (outcomes)
            {
                string key = $"stage {stage}: {outcome}";
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }

            // The call to the honest server has a timeout of its own: the client's default is short for the hostile calls.
            string text = $"still here {lane}/{iteration}";
            Assert.Equal($"{text} (5000 ms)", await healthy.EchoAsync(text, TimeSpan.FromSeconds(5)).WaitAsync(HostileConnection.Bound));
        })));

        output.WriteLine(string.Join(Environment.NewLine, outcomes.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}: {pair.Value}")));
        // The connection to the honest server opened once and never closed.
        Assert.Single(clientLogs.WithEvent(RecordingLoggerFactory.Connected), entry => entry.Message.Contains(honest.Address!, StringComparison.Ordinal));
        Assert.DoesNotContain(clientLogs.Entries, entry =>
            entry.EventId.Id is RecordingLoggerFactory.Closed or RecordingLoggerFactory.ProtocolViolation && entry.Message.Contains(honest.Address!, StringComparison.Ordinal));
    }

    // Connects to the hostile server and makes a few calls: each must succeed or fail with a Toolkit error within bounds.
    private static async Task<string> ClientSessionAsync(RpcService client, int port, Random random, string context)
    {
        IProbeGateway gateway;
        try
        {
            gateway = await client.ConnectAsync<IProbeGateway>($"rpc://127.0.0.1:{port}/probe").WaitAsync(ConnectTimeout * 2 + HostileConnection.Bound);
        }
        catch (Exception exception)
        {
            AssertToolkitError(exception, $"{context}: connecting");
            return $"connect failed ({exception.GetType().Name})";
        }

        List<string> calls = [];
        int count = 1 + random.Next(3);
        for (int i = 0; i < count; i++)
        {
            int which = random.Next(3);
            try
            {
                Task call = which switch
                {
                    0 => gateway.IncrementAsync(5).AsTask(),
                    1 => gateway.EchoAsync("hi", CallTimeout),
                    _ => gateway.RecordedAsync(),
                };
                await call.WaitAsync(CallTimeout + HostileConnection.Bound);
                calls.Add("ok");
            }
            catch (Exception exception)
            {
                AssertToolkitError(exception, $"{context}: call {i}");
                calls.Add(exception.GetType().Name);
            }
        }

        return string.Join(",", calls);
    }

    private static void AssertToolkitError(Exception exception, string context) =>
        // A Cancelled reply status ends a call with OperationCanceledException, as the caller's own cancellation does.
        Assert.True(exception is RpcException or OperationCanceledException, $"{context}: the client got {exception}");

    /// <summary>Plays the server side of one connection correctly up to <c>stage</c>, then misbehaves there.</summary>
    private sealed class HostileServer(Random random, int stage, int port)
    {
        private HostileConnection? _connection;

        /// <summary>Accepts one connection (then no more: a client that reconnects is refused at once) and plays.</summary>
        public async Task RunAsync(Socket listener)
        {
            Socket accepted;
            using (CancellationTokenSource timeout = new(HostileConnection.Bound))
            {
                try
                {
                    accepted = await listener.AcceptAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                finally
                {
                    listener.Dispose();
                }
            }

            using HostileConnection connection = HostileConnection.FromAccepted(accepted);
            Volatile.Write(ref _connection, connection);
            try
            {
                await PlayAsync(connection);

                // Whatever the client still sends is drained until it closes or briefly goes quiet, then this side closes.
                await connection.WaitForCloseAsync(TimeSpan.FromMilliseconds(20), []);
            }
            catch (Exception exception) when (exception is TimeoutException or ObjectDisposedException or SocketException or OperationCanceledException)
            {
                // The client stopped talking, or the session is over: end it.
            }
        }

        /// <summary>Ends the session: the client made all its calls.</summary>
        public void Stop() => Volatile.Read(ref _connection)?.Dispose();

        private async Task PlayAsync(HostileConnection connection)
        {
            TimeSpan read = TimeSpan.FromSeconds(2);
            if (await connection.ReadBytesAsync(Frames.PreambleSize, read) is null || await connection.ReadFrameAsync(read) is not { } hello)
            {
                return;
            }

            HelloFrame.Read(new ReadOnlySequence<byte>(hello.Body));
            byte[] preamble = HostileConnection.Preamble();
            byte[] welcome = HostileConnection.Encode(FrameType.Welcome, frame => new HelloFrame("hostile-server", $"127.0.0.1:{port}", Handshake.NewNonce(), 1 << 20, false, []).Write(frame));
            if (stage == 0)
            {
                await connection.SendAsync(Misbehave([.. preamble, .. welcome], bodyFrom: Frames.PreambleSize + Frames.HeaderSize), random);
                return;
            }

            await connection.SendAsync((byte[])[.. preamble, .. welcome]);
            Assert.Equal(FrameType.Proof, (await connection.ReadFrameAsync(read))?.Type);
            byte[] ready = HostileConnection.Encode(FrameType.Ready, frame => ProofFrame.Write(frame, [], [RpcGatewayRegistry.Get<IProbeGateway>()]));
            if (stage == 1)
            {
                await connection.SendAsync(random.Next(4) == 0 ? HostileConnection.Encode(FrameType.Refused, frame => RefusedFrame.Write(frame, "go away")) : Misbehave(ready, Frames.HeaderSize), random);
                return;
            }

            await connection.SendAsync(ready);
            if (await connection.ReadFrameAsync(read) is not { Type: FrameType.Lookup } lookup)
            {
                return;
            }

            long lookupId = BinaryPrimitives.ReadInt64LittleEndian(lookup.Body);
            byte[] found = WireRequests.Reply(lookupId, (byte)ReplyStatus.Ok, []);
            if (stage == 2)
            {
                await connection.SendAsync(Misbehave(found, Frames.HeaderSize), random);
                return;
            }

            await connection.SendAsync(found);
            while (await connection.ReadFrameAsync(read) is { Type: FrameType.Request } request)
            {
                await connection.SendAsync(Answer(request.Body), random);
            }
        }

        // A reply to a request: right, right but mutated, for another call, with a random status, or not a reply at all.
        private byte[] Answer(byte[] request)
        {
            long callId = BinaryPrimitives.ReadInt64LittleEndian(request);
            int methodId = BinaryPrimitives.ReadInt32LittleEndian(request.AsSpan(12));
            RpcGatewayDescriptor gateway = RpcGatewayRegistry.Get<IProbeGateway>();
            ArrayBufferWriter<byte> result = new();
            RpcWriter writer = new(result);
            switch (gateway.FindHandler(methodId)?.Method.Name)
            {
                case nameof(IProbeGateway.IncrementAsync):
                    writer.WriteUnmanaged(42L);
                    break;
                case nameof(IProbeGateway.EchoAsync):
                    writer.WriteString("echo");
                    break;
                default:
                    writer.WriteUnmanagedArray<int>([1, 2, 3]);
                    break;
            }

            writer.Flush();
            byte[] valid = WireRequests.Reply(callId, (byte)ReplyStatus.Ok, result.WrittenSpan);
            return random.Next(10) switch
            {
                0 => valid,
                1 => WireRequests.Reply(callId + 1, (byte)ReplyStatus.Ok, result.WrittenSpan),
                2 => WireRequests.Reply(callId, (byte)random.Next(256), Mutate.RandomBytes(random, 40)),
                3 => WireRequests.Request(random.NextInt64(), random.Next(), random.Next(), random.Next(-2, 1000), "probe", Mutate.RandomBytes(random, 20)),
                4 => [.. Mutate.Body(random, WireRequests.Reply(callId, (byte)ReplyStatus.Exception, RemoteError())), .. valid],
                _ => Misbehave(valid, Frames.HeaderSize),
            };
        }

        // Random bytes, the valid bytes mutated or cut, or a mutated body under a length prefix kept true to it, so
        // that the mutation reaches the body's decoder.
        private byte[] Misbehave(byte[] valid, int bodyFrom)
        {
            switch (random.Next(6))
            {
                case 0:
                    return Mutate.RandomBytes(random, 64);
                case 1:
                    return Mutate.Some(random, valid);
                case 2:
                    return valid[..random.Next(valid.Length)];
                default:
                    // What comes before the frame (the preamble, at stage 0) is kept as it is.
                    int prefix = bodyFrom - Frames.HeaderSize;
                    return [.. valid[..prefix], .. Mutate.Body(random, valid[prefix..])];
            }
        }

        private static byte[] RemoteError()
        {
            ArrayBufferWriter<byte> output = new();
            RpcWriter writer = new(output);
            writer.WriteString("System.InvalidOperationException");
            writer.WriteString("boom");
            writer.WriteString(null);
            writer.Flush();
            return output.WrittenSpan.ToArray();
        }
    }
}
