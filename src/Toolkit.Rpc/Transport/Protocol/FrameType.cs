namespace Toolkit.Rpc.Transport.Protocol;

/// <summary>
/// What a frame carries. The layout of every frame, drawn once (integers little-endian; "string" and "bytes" are the
/// value encodings of <see cref="Infrastructure.RpcWriter"/>):
/// <code>
/// frame     := int32 length (of what follows) | byte type | body
/// preamble  := "TKRPC\0" | uint16 version            (each side, before its first frame)
///
/// Hello     := string nodeId | string? address | bytes nonce | int32 maxFrameSize | bool hasSecret | bytes proof
/// Welcome   := the same as Hello                     (HelloFrame)
/// Proof     := bytes proof | int32 count | count × gateway    (ProofFrame; gateway := string name | string fingerprint |
/// Ready     := the same as Proof                                int32 lines | lines × string line)
/// Refused   := string reason                         (RefusedFrame)
/// Request   := int64 callId | int32 gateway | int32 method | int32 timeoutMs | byte nameLength | name (UTF-8) | arguments
/// ExtendedRequest := byte count | count × (byte tag | uint16 length | value) | Request      (RequestExtensions)
/// Reply     := int64 callId | byte status | result or error                       (ReplyFrame, ReplyStatus)
/// Cancel    := int64 callId                          (CancelFrame)
/// Lookup    := int64 callId | string endpoint | string gateway                   (LookupFrame)
/// Contract  := gateway                               (ContractFrame)
/// StreamItems  := int64 callId | item × n (n ≥ 1, to the end of the frame)         (StreamItemsFrame)
/// StreamCredit := int64 callId | int32 credit (> 0)                                (StreamCreditFrame)
/// Offloaded    := int64 token | int64 length | byte kind (0 request, 1 reply)     (OffloadedFrame)
/// </code>
/// An <see cref="Offloaded"/> frame stands for a request or reply frame of <c>length</c> bytes that travels on the
/// byte-stream channel <c>token</c> instead (it was over the offload threshold); its requests keep their place among
/// the connection's requests.
/// An item stream is a request whose reply comes last: after the request, the producer sends
/// <see cref="StreamItems"/> batches for the call, at most <c>StreamCreditFrame.InitialCredit</c> items plus what the
/// consumer granted since with <see cref="StreamCredit"/>; the stream's end (or its failure) is the call's
/// <see cref="Reply"/>. A <see cref="Cancel"/> from the consumer stops the producer.
/// The handshake frames come first, in order (<c>ConnectionHandshake</c>); after them, calls, replies, cancellations,
/// lookups and contracts in any order.
/// </summary>
internal enum FrameType : byte
{
    /// <summary>Client → server: node id, address, nonce, frame limit.</summary>
    Hello = 1,

    /// <summary>Server → client: the same, whether a secret is required, and the server's proof.</summary>
    Welcome = 2,

    /// <summary>Client → server: the client's proof and the gateway contracts it serves.</summary>
    Proof = 3,

    /// <summary>Server → client: the handshake succeeded; the gateway contracts the server serves.</summary>
    Ready = 4,

    /// <summary>Either side: the handshake failed, and why. The connection closes after it.</summary>
    Refused = 5,

    /// <summary>A call (call id 0: one-way) to a method of a gateway of a named endpoint, with its arguments.</summary>
    Request = 16,

    /// <summary>The outcome of a call: a <see cref="ReplyStatus"/>, then the result or the error.</summary>
    Reply = 17,

    /// <summary>The caller gave up (timeout or cancellation): cancel the method's token.</summary>
    Cancel = 18,

    /// <summary>Does the endpoint exist, implement the gateway, and do the contracts agree?</summary>
    Lookup = 19,

    /// <summary>
    /// The sender's contract for a gateway, sent once per connection before the first frame that uses the gateway. The
    /// receiver compares it with its own and answers with its own contract (once), so that each side can check the
    /// other's calls and skip members a newer peer appended.
    /// </summary>
    Contract = 20,

    /// <summary>
    /// A <see cref="Request"/> preceded by extensions (tag 1: the caller's view of the leader epoch, for fenced
    /// endpoints). Sent only by a call that has one, so that ordinary calls keep the plain frame; a receiver skips
    /// the tags it does not know.
    /// </summary>
    ExtendedRequest = 21,

    /// <summary>Producer → consumer: a batch of items of the item stream the call opened.</summary>
    StreamItems = 22,

    /// <summary>Consumer → producer: the producer may send this many more items of the call's stream.</summary>
    StreamCredit = 23,

    /// <summary>A request or reply frame over the offload threshold, whose bytes travel on a byte-stream channel.</summary>
    Offloaded = 24,
}
