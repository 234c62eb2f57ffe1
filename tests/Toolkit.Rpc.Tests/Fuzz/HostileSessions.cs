using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Toolkit.Rpc.Tests.Endpoints;
using Toolkit.Rpc.Tests.Infrastructure;
using Toolkit.Rpc.Tests.Serialization;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Tests.Fuzz;

/// <summary>The hostile sessions of the live fuzz: each opens a connection, misbehaves one way and checks what the service did.</summary>
internal sealed class HostileSessions(LiveRig rig, Random random, int seed)
{
    /// <summary>The server reads a Hello of at most this many bytes (ConnectionHandshake.HelloLimit).</summary>
    private const int HelloLimit = 4096;

    private readonly RandomValues _values = new(random);
    private readonly Dictionary<string, int> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<SessionEnd, int> _ends = [];
    private int _frames;
    private int _dispatched;
    private int _rejected;
    private int _replies;

    public string Statistics() =>
        $"sessions: {string.Join(", ", _sessions.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value}"))}; " +
        $"after the handshake: {_frames} frames, {string.Join(", ", _ends.Select(pair => $"{pair.Key} {pair.Value}"))}; " +
        $"{_dispatched} calls dispatched, {_rejected} refused by the deserializers, {_replies} replies checked";

    public async Task RunAsync(int iteration)
    {
        (string Name, Func<string, Task> Run) session = random.Next(100) switch
        {
            < 7 => ("garbage instead of the preamble", GarbagePreambleAsync),
            < 10 => ("a wrong preamble", WrongPreambleAsync),
            < 20 => ("a bad hello", BadHelloAsync),
            < 26 => ("a bad proof", BadProofAsync),
            < 29 => ("reset at once", _ => ResetAsync()),
            _ => ("frames after the handshake", FramesAsync),
        };
        _sessions[session.Name] = _sessions.GetValueOrDefault(session.Name) + 1;
        string context = $"{Fuzz.Replay(seed, iteration)}, {session.Name}";
        await session.Run(context);

        rig.AssertHealthySoFar();
        await rig.AssertEndpointsMatchModelAsync(context);
    }

    /// <summary>Every reply received is one the model expects (the same call id, status and, when exact, result); with <paramref name="exact"/>, all of them came.</summary>
    public static void AssertReplies(List<(FrameType Type, byte[] Body)> received, List<ExpectedReply> expected, bool exact, string context)
    {
        List<ExpectedReply> open = [.. expected];
        foreach ((FrameType type, byte[] body) in received)
        {
            Assert.True(type == FrameType.Reply && body.Length >= 9, $"{context}: the service sent a {type} frame of {body.Length} bytes");
            long callId = BinaryPrimitives.ReadInt64LittleEndian(body);
            ReplyStatus status = (ReplyStatus)body[8];
            byte[] payload = body[9..];
            int match = open.FindIndex(reply => reply.CallId == callId && reply.Status == status && (reply.Payload is null || reply.Payload.AsSpan().SequenceEqual(payload)));
            Assert.True(match >= 0, $"{context}: the service replied {callId}:{status}:{Fuzz.Hex(payload, 48)} ({Encoding.UTF8.GetString(payload.AsSpan(0, Math.Min(payload.Length, 300)))}), which the model does not expect; it expects {string.Join(" ", open)}");
            open.RemoveAt(match);
        }

        Assert.True(!exact || open.Count == 0, $"{context}: replies missing: {string.Join(" ", open)}");
    }

    private async Task GarbagePreambleAsync(string context)
    {
        byte[] garbage = Mutate.RandomBytes(random, 64);
        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        await hostile.SendAsync(garbage, random);
        hostile.ShutdownSend();
        byte[] answer = await ReadUntilClosedAsync(hostile, context);
        Assert.True(answer.Length == 0, $"{context}: the service answered {Fuzz.Hex(answer)} to {Fuzz.Hex(garbage)}");
        await rig.AwaitServerLogAsync(hostile.LocalPort, context, RecordingLoggerFactory.Refused);
    }

    private async Task WrongPreambleAsync(string context)
    {
        byte[] preamble = HostileConnection.Preamble();
        bool wrongVersion = random.Next(2) == 0;
        if (wrongVersion)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(preamble.AsSpan(6), (ushort)random.Next(2, 65_536));
        }
        else
        {
            preamble[random.Next(6)] ^= (byte)(1 + random.Next(255));
        }

        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        await hostile.SendAsync((byte[])[.. preamble, .. EncodedHello()], random);
        hostile.ShutdownSend();
        byte[] answer = await ReadUntilClosedAsync(hostile, context);
        if (wrongVersion)
        {
            // The service says which version it speaks, then closes.
            Assert.Equal(Frames.ProtocolVersion, Frames.ReadPreamble(answer.AsSpan(0, Frames.PreambleSize)));
            (FrameType type, string reason) = ReadRefusal(answer.AsSpan(Frames.PreambleSize), context);
            Assert.Equal(FrameType.Refused, type);
            Assert.Contains("protocol version", reason, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(answer.Length == 0, $"{context}: the service answered {Fuzz.Hex(answer)} to a foreign preamble");
        }

        await rig.AwaitServerLogAsync(hostile.LocalPort, context, RecordingLoggerFactory.Refused);
    }

    private async Task BadHelloAsync(string context)
    {
        byte[] preamble = HostileConnection.Preamble();
        byte[] hello = EncodedHello(hasSecret: random.Next(10) == 0);
        byte[] sent = random.Next(6) switch
        {
            0 => Mutate.RandomBytes(random, 64),
            1 => Mutate.Some(random, hello),
            2 => WireFrames.Frame((FrameType)random.Next(256), hello[Frames.HeaderSize..]),
            3 => WireFrames.Frame(FrameType.Hello, new byte[HelloLimit - Frames.HeaderSize + random.Next(2)]),
            _ => Mutate.Body(random, hello),
        };

        // What the service must answer: Welcome to a hello it can read, Refused to one that asks for a secret, nothing otherwise.
        string expected = "nothing";
        WireFrames.Parsed parsed = WireFrames.Parse(sent, HelloLimit);
        if (parsed.Kind == WireFrames.ParsedKind.Frame && parsed.Type == FrameType.Hello)
        {
            try
            {
                HelloFrame read = HelloFrame.Read(new ReadOnlySequence<byte>(sent, Frames.HeaderSize, parsed.Size - Frames.HeaderSize));
                expected = read.HasSecret ? "refused" : "welcome";
            }
            catch (Exception exception) when (exception is ProtocolViolationException or RpcSerializationException)
            {
            }
        }

        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        await hostile.SendAsync((byte[])[.. preamble, .. sent], random);
        hostile.ShutdownSend();
        byte[] answer = await ReadUntilClosedAsync(hostile, context);
        string what = $"{context}: hello {Fuzz.Hex(sent)}";
        if (expected == "nothing")
        {
            Assert.True(answer.Length == 0, $"{what}: the service answered {Fuzz.Hex(answer)}");
        }
        else
        {
            Assert.True(answer.Length > Frames.PreambleSize, $"{what}: the service answered {Fuzz.Hex(answer)}, expected {expected}");
            Assert.Equal(Frames.ProtocolVersion, Frames.ReadPreamble(answer.AsSpan(0, Frames.PreambleSize)));
            (FrameType type, _) = ReadRefusal(answer.AsSpan(Frames.PreambleSize), what);
            Assert.Equal(expected == "welcome" ? FrameType.Welcome : FrameType.Refused, type);
        }

        await rig.AwaitServerLogAsync(hostile.LocalPort, what, RecordingLoggerFactory.Refused);
    }

    private async Task BadProofAsync(string context)
    {
        byte[] preamble = HostileConnection.Preamble();
        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        Assert.True(await hostile.SendAsync((byte[])[.. preamble, .. EncodedHello()]));
        Assert.NotNull(await hostile.ReadBytesAsync(Frames.PreambleSize, HostileConnection.Bound));
        Assert.Equal(FrameType.Welcome, (await hostile.ReadFrameAsync(HostileConnection.Bound))?.Type);

        // A Proof that announces gateways, so that mutations reach the contract comparison too.
        byte[] proof = HostileConnection.Encode(FrameType.Proof, frame => ProofFrame.Write(frame, [], [RpcGatewayRegistry.Get<IProbeGateway>(), RpcGatewayRegistry.Get<IFuzzTargetGateway>()]));
        byte[] sent = random.Next(5) switch
        {
            0 => Mutate.RandomBytes(random, 64),
            1 => Mutate.Some(random, proof),
            _ => Mutate.Body(random, proof),
        };
        string expected = "nothing";
        WireFrames.Parsed parsed = WireFrames.Parse(sent, LiveRig.ServerMaxFrameSize);
        if (parsed.Kind == WireFrames.ParsedKind.Frame && parsed.Type == FrameType.Proof)
        {
            try
            {
                (_, List<ContractFrame> gateways) = ProofFrame.Read(new ReadOnlySequence<byte>(sent, Frames.HeaderSize, parsed.Size - Frames.HeaderSize));
                expected = Handshake.CompareContracts(gateways, "the service", "the hostile peer") is null ? "ready" : "refused";
            }
            catch (Exception exception) when (exception is ProtocolViolationException or RpcSerializationException)
            {
            }
        }

        await hostile.SendAsync(sent, random);
        hostile.ShutdownSend();
        byte[] answer = await ReadUntilClosedAsync(hostile, context);
        string what = $"{context}: proof {Fuzz.Hex(sent)}";
        if (expected == "nothing")
        {
            Assert.True(answer.Length == 0, $"{what}: the service answered {Fuzz.Hex(answer)}");
            await rig.AwaitServerLogAsync(hostile.LocalPort, what, RecordingLoggerFactory.Refused);
        }
        else
        {
            (FrameType type, string reason) = ReadRefusal(answer, what);
            Assert.True(type == (expected == "ready" ? FrameType.Ready : FrameType.Refused), $"{what}: expected {expected}, got {type} {reason}");
            // Refused in the handshake, or opened and then closed by this side's end of stream.
            await rig.AwaitServerLogAsync(hostile.LocalPort, what, expected == "ready" ? RecordingLoggerFactory.Closed : RecordingLoggerFactory.Refused);
        }
    }

    private async Task ResetAsync()
    {
        HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        if (random.Next(2) == 0)
        {
            byte[] preamble = HostileConnection.Preamble();
            await hostile.SendAsync((byte[])[.. preamble, .. EncodedHello()[..random.Next(20)]]);
        }

        // Nothing to assert about this connection: the next session proves the service still accepts and serves.
        hostile.Reset();
        hostile.Dispose();
    }

    private async Task FramesAsync(string context)
    {
        using HostileConnection hostile = await HostileConnection.ConnectAsync(rig.Address);
        await hostile.HandshakeAsync($"hostile-{hostile.LocalPort}", LiveRig.HostileMaxFrameSize);

        List<string> kinds = [];
        List<byte> stream = [];
        int count = 1 + random.Next(6);
        for (int i = 0; i < count; i++)
        {
            (byte[] frame, string kind, bool last) = NextFrame();
            stream.AddRange(frame);
            kinds.Add(kind);
            if (last)
            {
                break;
            }
        }

        byte[] bytes = [.. stream];
        SessionOutcome expected = rig.Model.Run(bytes);
        _frames += kinds.Count;
        _ends[expected.End] = _ends.GetValueOrDefault(expected.End) + 1;
        _dispatched += expected.Dispatched;
        _rejected += expected.Rejected;
        string what = $"{context}: frames [{string.Join(", ", kinds)}] = {Fuzz.Hex(bytes, 400)}; the model expects {expected.End} ({expected.Why}) and replies {string.Join(" ", expected.Replies)}";

        await hostile.SendAsync(bytes, random);
        List<(FrameType Type, byte[] Body)> received = [];
        if (expected.End == SessionEnd.Violation)
        {
            // The service must close by itself: no end of stream from this side.
            Assert.True(await hostile.WaitForCloseAsync(HostileConnection.Bound, received), $"{what}: the service did not close the connection");
            AssertReplies(received, expected.Replies, exact: false, what);
            LogEntry reason = await rig.AwaitServerLogAsync(hostile.LocalPort, what, RecordingLoggerFactory.ProtocolViolation);
            Assert.Contains("protocol violation: ", reason.Message, StringComparison.Ordinal);
        }
        else
        {
            while (received.Count < expected.Replies.Count)
            {
                (FrameType Type, byte[] Body)? frame;
                try
                {
                    frame = await hostile.ReadFrameAsync(HostileConnection.Bound);
                }
                catch (TimeoutException exception)
                {
                    throw new TimeoutException($"{what}: only {received.Count} replies came", exception);
                }

                Assert.True(frame is not null, $"{what}: the service closed the connection after {received.Count} replies");
                received.Add(frame.Value);
            }

            hostile.ShutdownSend();
            Assert.True(await hostile.WaitForCloseAsync(HostileConnection.Bound, received), $"{what}: the service did not close the connection after the end of stream");
            AssertReplies(received, expected.Replies, exact: true, what);
            await rig.AwaitServerLogAsync(hostile.LocalPort, what, expected.End == SessionEnd.Clean ? RecordingLoggerFactory.Closed : RecordingLoggerFactory.ProtocolViolation);
        }

        _replies += received.Count;
    }

    // One frame for a session: valid, or mutated one of many ways; `Last` when nothing can follow it (a cut frame).
    private (byte[] Frame, string Kind, bool Last) NextFrame()
    {
        (byte[] valid, string kind, int argumentsOffset, bool shape) = NextValidFrame();
        int choice = random.Next(100);
        switch (choice)
        {
            case < 40:
                return (valid, kind, false);
            case < 60 when argumentsOffset > 0:
                return (Mutate.Body(random, valid, argumentsOffset - Frames.HeaderSize), kind + " with mutated arguments", false);
            case < 66 when shape:
                return (UnionTag(valid, argumentsOffset), kind + " with another union tag", false);
            case < 75:
                return (Mutate.Body(random, valid), kind + " with a mutated body", false);
            case < 83:
                return (Mutate.Some(random, valid), kind + " mutated", false);
            case < 88:
                byte[] claim = [.. valid];
                int length = random.Next(6) switch
                {
                    0 => LiveRig.ServerMaxFrameSize - 3,
                    1 => valid.Length - 4 + 1 + random.Next(100),
                    2 => Math.Max(0, valid.Length - 4 - 1 - random.Next(8)),
                    _ => Mutate.InterestingInts[random.Next(Mutate.InterestingInts.Length)],
                };
                BinaryPrimitives.WriteInt32LittleEndian(claim, length);
                return (claim, $"{kind} claiming {length} bytes", false);
            case < 92:
                return (WireFrames.Frame((FrameType)random.Next(256), Mutate.RandomBytes(random, 64)), "a random frame", false);
            case < 95:
                byte[] retyped = [.. valid];
                retyped[4] = (byte)random.Next(256);
                return (retyped, $"{kind} as type {retyped[4]}", false);
            case < 97:
                return (WireFrames.Frame(FrameType.Request, new byte[LiveRig.ServerMaxFrameSize + random.Next(100)]), "an oversized frame", true);
            default:
                return (valid[..random.Next(valid.Length)], kind + " cut short", true);
        }
    }

    private (byte[] Frame, string Kind, int ArgumentsOffset, bool Shape) NextValidFrame()
    {
        long callId = random.Next(5) == 0 ? 0 : random.NextInt64(1, long.MaxValue);
        int timeout = random.Next(6) switch { 0 => -1, 1 => 0, 2 => int.MaxValue, _ => random.Next(1, 100_000) };
        switch (random.Next(13))
        {
            case 0:
            case 1:
                Shape? shape = _values.Shape();
                return Call<IFuzzTargetGateway>("fuzz", callId, timeout, gateway => gateway.DescribeShapeAsync(shape), $"DescribeShape {shape?.GetType().Name ?? "null"}", shape: true);
            case 2:
                Drawing drawing = _values.Drawing();
                return Call<IFuzzTargetGateway>("fuzz", callId, timeout, gateway => gateway.DescribeDrawingAsync(drawing), "DescribeDrawing");
            case 3:
                string? text = random.Next(20) == 0 ? new string('x', random.Next(60_000, 66_000)) : _values.String();
                int number = _values.Int32();
                return Call<IFuzzTargetGateway>("fuzz", callId, timeout, gateway => gateway.DescribeTextAsync(text, number), $"DescribeText of {text?.Length ?? -1} chars");
            case 4:
                Collections collections = _values.Collections();
                return Call<IFuzzTargetGateway>("fuzz", callId, timeout, gateway => gateway.DescribeCollectionsAsync(collections), "DescribeCollections");
            case 5:
                Node? node = null;
                int links = random.Next(4) == 0 ? random.Next(200) : random.Next(4);
                for (int i = 0; i < links; i++)
                {
                    node = new Node(i, node);
                }

                return Call<IFuzzTargetGateway>("fuzz", callId, timeout, gateway => gateway.DescribeNodeAsync(node), $"DescribeNode of {links}");
            case 6:
                Ping ping = new(_values.Int64(), _values.Int32(), random.Next(2) == 0);
                return Call<IFuzzTargetGateway>("fuzz", callId, timeout, gateway => gateway.Note(ping), callId == 0 ? "Note (one-way)" : "Note (asked)");
            case 7:
                int by = random.Next(-5, 6);
                return Call<IProbeGateway>("probe", callId, timeout, gateway => gateway.IncrementAsync(by), $"Increment by {by}");
            case 8:
                int value = _values.Int32();
                return Call<IProbeGateway>("probe", callId, timeout, gateway => gateway.Record(value), callId == 0 ? "Record (one-way)" : "Record (asked)");
            case 9:
                string? echo = _values.String();
                return Call<IProbeGateway>("probe", callId, timeout, gateway => gateway.EchoAsync(echo!, TimeSpan.Zero), "Echo");
            case 10:
                RpcGatewayDescriptor gateway = random.Next(2) == 0 ? RpcGatewayRegistry.Get<IProbeGateway>() : RpcGatewayRegistry.Get<IFuzzTargetGateway>();
                string endpoint = random.Next(4) switch { 0 => "probe", 1 => "fuzz", 2 => "nobody", _ => _values.String() ?? "" };
                return (WireRequests.Lookup(callId, endpoint, gateway.Name), $"Lookup {gateway.ShortName} on '{endpoint}'", 0, false);
            case 11:
                return (WireRequests.Cancel(random.NextInt64()), "Cancel", 0, false);
            default:
                return (WireRequests.Reply(random.NextInt64(), (byte)random.Next(8), Mutate.RandomBytes(random, 16)), "Reply", 0, false);
        }
    }

    private static (byte[] Frame, string Kind, int ArgumentsOffset, bool Shape) Call<TGateway>(
        string endpoint, long callId, int timeout, Action<TGateway> call, string kind, bool shape = false)
        where TGateway : class
    {
        (RpcMethodDescriptor method, byte[] arguments) = WireRequests.Capture(call);
        return (WireRequests.Request(callId, method, timeout, endpoint, arguments), $"{endpoint}.{kind}", WireRequests.ArgumentsOffset(endpoint), shape);
    }

    // The same request with the union header of its Shape argument replaced by another tag, small, wide or invalid.
    private byte[] UnionTag(byte[] request, int argumentsOffset)
    {
        byte[] header = random.Next(4) switch
        {
            0 => [(byte)random.Next(3, RpcWriter.MaxSmallTag + 1)],
            1 => [RpcWriter.WideUnionTag, (byte)random.Next(256), (byte)random.Next(256)],
            2 => [(byte)random.Next(RpcWriter.WideUnionTag + 1, 256)],
            _ => [(byte)random.Next(4)],
        };
        byte[] body = [.. request[Frames.HeaderSize..argumentsOffset], .. header, .. request[(argumentsOffset + 1)..]];
        return WireFrames.Frame(FrameType.Request, body);
    }

    private byte[] EncodedHello(bool hasSecret = false) =>
        HostileConnection.Encode(FrameType.Hello, frame => new HelloFrame($"hostile-{random.Next()}", null, Handshake.NewNonce(), LiveRig.HostileMaxFrameSize, hasSecret, []).Write(frame));

    private static (FrameType Type, string Text) ReadRefusal(ReadOnlySpan<byte> frame, string context)
    {
        Assert.True(frame.Length >= Frames.HeaderSize, $"{context}: the service answered {Fuzz.Hex(frame)}");
        FrameType type = (FrameType)frame[4];
        byte[] body = frame[Frames.HeaderSize..].ToArray();
        return (type, type == FrameType.Refused ? RefusedFrame.Read(new ReadOnlySequence<byte>(body)) : "");
    }

    private static async Task<byte[]> ReadUntilClosedAsync(HostileConnection hostile, string context)
    {
        List<byte> bytes = [];
        DateTime deadline = DateTime.UtcNow + HostileConnection.Bound;
        while (true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{context}: the service kept the connection open");
            byte[]? next;
            try
            {
                next = await hostile.ReadBytesAsync(1, deadline - DateTime.UtcNow);
            }
            catch (TimeoutException exception)
            {
                throw new TimeoutException($"{context}: the service neither answered nor closed the connection", exception);
            }

            if (next is null)
            {
                return [.. bytes];
            }

            bytes.Add(next[0]);
        }
    }
}
