using System.Text;
using Toolkit.Rpc.Fuzz.Messages;
using Toolkit.Rpc.Transport;
using Toolkit.Rpc.Transport.Protocol;

namespace Toolkit.Rpc.Fuzz;

/// <summary>
/// The seed corpus: ordinary, valid input for each target, written by the library's own encoders (the generated proxy
/// for arguments, <see cref="Handshake"/> for handshake frames, the generated serializers for values). Deterministic,
/// so that regenerating it changes nothing.
/// </summary>
public static class SeedCorpus
{
    private static readonly byte[] ClientNonce = [.. Enumerable.Range(1, HelloFrame.NonceSize).Select(i => (byte)i)];
    private static readonly byte[] ServerNonce = [.. Enumerable.Range(101, HelloFrame.NonceSize).Select(i => (byte)i)];

    public static Dictionary<string, Dictionary<string, byte[]>> All() => new(StringComparer.Ordinal)
    {
        ["frames"] = FrameSeeds(),
        ["handshake"] = HandshakeSeeds(),
        ["values"] = ValueSeeds(),
    };

    /// <summary>Writes each target's seeds to <c>directory/target/name.bin</c>.</summary>
    public static void Write(string directory)
    {
        foreach ((string target, Dictionary<string, byte[]> seeds) in All())
        {
            string folder = Path.Combine(directory, target);
            Directory.CreateDirectory(folder);
            foreach ((string name, byte[] bytes) in seeds)
            {
                File.WriteAllBytes(Path.Combine(folder, name + ".bin"), bytes);
            }
        }
    }

    private static Dictionary<string, byte[]> ValueSeeds()
    {
        Dictionary<string, byte[]> seeds = new(StringComparer.Ordinal);
        for (int index = 0; index < ValueCodec.All.Count; index++)
        {
            ValueCodec codec = ValueCodec.All[index];
            seeds[$"{index:D2}-{Describe(codec.Type)}"] = [(byte)index, .. codec.Encode(SampleMessages.ByType[codec.Type])];
        }

        return seeds;
    }

    private static Dictionary<string, byte[]> FrameSeeds()
    {
        byte[] shape = Request(1, gateway => gateway.EchoShapeAsync(new Triangle(3, 4, 5)), TimeSpan.FromSeconds(10));
        byte[] drawing = Request(2, gateway => gateway.EchoDrawingAsync(SampleMessages.Drawing), TimeSpan.FromSeconds(10));
        byte[] count = Request(3, gateway => gateway.CountAsync("text", 3, [new Circle(1)], TimeSpan.FromSeconds(1), CancellationToken.None), TimeSpan.FromSeconds(1));
        byte[] note = Request(0, gateway => gateway.Note(new Ping(1, 2, Urgent: false)), Timeout.InfiniteTimeSpan);
        byte[] poke = Request(4, gateway => gateway.PokeAsync(), Timeout.InfiniteTimeSpan);
        byte[] subscription = Request(5, gateway => gateway.EchoSubscriptionAsync(new Subscription("prices", SampleMessages.Listener, SampleMessages.Scalars)), TimeSpan.FromSeconds(10));
        byte[] catalog = Request(6, gateway => gateway.EchoCatalogAsync((Catalog)SampleMessages.ByType[typeof(Catalog)]!), TimeSpan.FromSeconds(10));
        byte[] collections = Request(7, gateway => gateway.EchoCollectionsAsync((Collections)SampleMessages.ByType[typeof(Collections)]!), TimeSpan.FromSeconds(10));
        byte[] text = Request(8, gateway => gateway.EchoStringAsync("hello, 世界"), TimeSpan.FromSeconds(10));
        byte[] map = Request(9, gateway => gateway.EchoMapAsync(new Dictionary<string, Address> { ["home"] = new Address("Main St 1", null) }), TimeSpan.FromSeconds(10));
        byte[] layers = Request(10, gateway => gateway.EchoLayersAsync([new Circle(2.5), null, new RoundedSquare(1, 0.25)]), TimeSpan.FromSeconds(10));
        byte[] cancel = Frame(FrameType.Cancel, frame => frame.WriteInt64(3));
        byte[] lookup = Frame(FrameType.Lookup, frame =>
        {
            frame.WriteInt64(8);
            RpcWriter writer = new(frame);
            RpcGatewayDescriptor gateway = RpcGatewayRegistry.Get<IFuzzGateway>();
            writer.WriteString("fuzz");
            writer.WriteString(gateway.Name);
            writer.Flush();
        });
        byte[] contract = Frame(FrameType.Contract, frame => ContractFrame.Write(frame, RpcGatewayRegistry.Get<IFuzzGateway>()));

        // A successful reply's call id picks the type its result is read as.
        int drawingIndex = IndexOf(typeof(Drawing));
        byte[] drawingReply = Reply(drawingIndex, ReplyStatus.Ok, frame => frame.WriteBytes(ValueCodec.All[drawingIndex].Encode(SampleMessages.Drawing)));
        int nodeIndex = IndexOf(typeof(Node));
        byte[] nodeReply = Reply(nodeIndex, ReplyStatus.Ok, frame => frame.WriteBytes(ValueCodec.All[nodeIndex].Encode(SampleMessages.Node)));
        byte[] exception = Reply(9, ReplyStatus.Exception, frame => Strings(frame, "System.InvalidOperationException", "the job is not running", "   at Job.Run()"));
        byte[] notFound = Reply(10, ReplyStatus.NotFound, frame => Strings(frame, "service node-1 has no endpoint 'missing'"));
        byte[] unavailable = Reply(11, ReplyStatus.Unavailable, frame =>
        {
            frame.WriteByte((byte)RpcEndpointState.Stopped);
            Strings(frame, "endpoint 'fuzz' has been stopped");
        });
        byte[] tooLarge = Reply(12, ReplyStatus.TooLarge, frame =>
        {
            frame.WriteInt64(5_000_000);
            frame.WriteInt32(RpcTransportOptions.DefaultMaxFrameSize);
        });
        byte[] serialization = Reply(13, ReplyStatus.Serialization, frame => Strings(frame, "a string is not valid UTF-8"));
        byte[] cancelled = Reply(14, ReplyStatus.Cancelled, frame => Strings(frame, "the method observed its cancellation"));

        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["request-shape"] = [0, .. shape],
            ["request-drawing"] = [0, .. drawing],
            ["request-count"] = [0, .. count],
            ["request-note"] = [0, .. note],
            ["request-poke"] = [0, .. poke],
            ["request-subscription"] = [0, .. subscription],
            ["request-catalog"] = [0, .. catalog],
            ["request-collections"] = [0, .. collections],
            ["request-string"] = [0, .. text],
            ["request-map"] = [0, .. map],
            ["request-layers"] = [0, .. layers],
            ["cancel"] = [0, .. cancel],
            ["lookup"] = [0, .. lookup],
            ["contract"] = [0, .. contract],
            ["reply-drawing"] = [0, .. drawingReply],
            ["reply-node"] = [0, .. nodeReply],
            ["reply-exception"] = [0, .. exception],
            ["reply-not-found"] = [0, .. notFound],
            ["reply-unavailable"] = [0, .. unavailable],
            ["reply-too-large"] = [0, .. tooLarge],
            ["reply-serialization"] = [0, .. serialization],
            ["reply-cancelled"] = [0, .. cancelled],
            // Several frames in one read, cut into segments of 7 bytes as a pipe might hand them over.
            ["stream-in-segments"] = [7, .. contract, .. shape, .. count, .. cancel, .. lookup, .. nodeReply, .. exception],
        };
    }

    private static Dictionary<string, byte[]> HandshakeSeeds()
    {
        byte[] preamble = new byte[Frames.PreambleSize];
        Frames.WritePreamble(preamble);
        RpcGatewayDescriptor[] gateways = [RpcGatewayRegistry.Get<IFuzzGateway>(), RpcGatewayRegistry.Get<IFuzzListenerGateway>()];
        byte[] serverProof = Handshake.Prove("secret", "server", ClientNonce, ServerNonce);
        byte[] clientProof = Handshake.Prove("secret", "client", ClientNonce, ServerNonce);

        byte[] hello = Frame(FrameType.Hello, frame => new HelloFrame("client-node", null, ClientNonce, RpcTransportOptions.DefaultMaxFrameSize, true, []).Write(frame));
        byte[] welcome = Frame(FrameType.Welcome, frame => new HelloFrame("server-node", "127.0.0.1:7000", ServerNonce, 1 << 20, true, serverProof).Write(frame));
        byte[] proof = Frame(FrameType.Proof, frame => ProofFrame.Write(frame, clientProof, gateways));
        byte[] ready = Frame(FrameType.Ready, frame => ProofFrame.Write(frame, [], gateways));
        byte[] refused = Frame(FrameType.Refused, frame => RefusedFrame.Write(frame, "authentication failed: the shared secrets differ"));

        // A peer whose IFuzzGateway lacks its last method: the contracts are compared line by line.
        RpcGatewayDescriptor fuzz = gateways[0];
        byte[] older = Frame(FrameType.Ready, frame =>
        {
            RpcWriter writer = new(frame);
            writer.WriteBytes([]);
            writer.WriteCollectionHeader(1);
            writer.WriteString(fuzz.Name);
            writer.WriteString("older-fingerprint");
            writer.WriteCollectionHeader(fuzz.Contract.Count - 1);
            foreach (string line in fuzz.Contract.Take(fuzz.Contract.Count - 1))
            {
                writer.WriteString(line);
            }

            writer.Flush();
        });

        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["client-hello-proof"] = [.. preamble, .. hello, .. proof],
            ["server-welcome-ready"] = [.. preamble, .. welcome, .. ready],
            ["server-refused"] = [.. preamble, .. refused],
            ["server-ready-older-contract"] = [.. preamble, .. welcome, .. older],
        };
    }

    /// <summary>A request frame as a connection writes it (RemoteRpcTarget.WriteRequest), with the proxy's encoding of the call's arguments.</summary>
    private static byte[] Request(long callId, Action<IFuzzGateway> call, TimeSpan timeout)
    {
        CapturingTarget target = new(new RpcEndpointReference("fuzz-node", null, "fuzz"), FuzzContext.Instance);
        call((IFuzzGateway)RpcGatewayRegistry.Get<IFuzzGateway>().CreateProxy(target));
        RpcMethodDescriptor method = target.Method!;
        byte[] name = Encoding.UTF8.GetBytes("fuzz");
        return Frame(FrameType.Request, frame =>
        {
            frame.WriteInt64(callId);
            frame.WriteInt32(method.Gateway.Id);
            frame.WriteInt32(method.Id);
            frame.WriteInt32(timeout == Timeout.InfiniteTimeSpan ? -1 : (int)timeout.TotalMilliseconds);
            frame.WriteByte((byte)name.Length);
            frame.WriteBytes(name);
            frame.WriteBytes(target.Arguments);
        });
    }

    private static byte[] Reply(long callId, ReplyStatus status, Action<FrameBuffer> payload) => Frame(FrameType.Reply, frame =>
    {
        frame.WriteInt64(callId);
        frame.WriteByte((byte)status);
        payload(frame);
    });

    private static void Strings(FrameBuffer frame, params string[] strings)
    {
        RpcWriter writer = new(frame);
        foreach (string text in strings)
        {
            writer.WriteString(text);
        }

        writer.Flush();
    }

    private static byte[] Frame(FrameType type, Action<FrameBuffer> write)
    {
        FrameBuffer frame = FrameBuffer.Rent(type);
        try
        {
            write(frame);
            return frame.Complete().ToArray();
        }
        finally
        {
            frame.Return();
        }
    }

    private static int IndexOf(Type type) => ValueCodec.All.ToList().FindIndex(codec => codec.Type == type);

    private static string Describe(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "-of-" + string.Join("-", type.GetGenericArguments().Select(Describe))
        : type.Name;
}
