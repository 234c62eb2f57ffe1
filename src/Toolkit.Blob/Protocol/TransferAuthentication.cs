using System.Security.Cryptography;
using Toolkit.Rpc.Transport;

namespace Toolkit.Blob;

/// <summary>
/// The shared-secret proofs of a transfer connection: the RPC handshake's (<c>Handshake.Prove</c>: HMAC-SHA256 of a
/// role and both nonces under the secret, which never crosses the wire), with roles of the blob service's own so a
/// proof from one protocol is worth nothing in the other.
/// </summary>
internal static class TransferAuthentication
{
    public static byte[] NewNonce() => Handshake.NewNonce();

    public static byte[] Prove(string? secret, string role, byte[] clientNonce, byte[] serverNonce) =>
        Handshake.Prove(secret, role, clientNonce, serverNonce);

    public static bool Verify(string secret, string role, byte[] clientNonce, byte[] serverNonce, byte[] proof) =>
        proof.Length == SHA256.HashSizeInBytes && Handshake.Verify(secret, role, clientNonce, serverNonce, proof);

    /// <summary>Why a client and a server cannot talk, or null when their secrets are configured alike.</summary>
    public static string? Mismatch(bool clientHasSecret, bool serverHasSecret, string server) => (clientHasSecret, serverHasSecret) switch
    {
        (true, false) => $"the client has a shared secret, but the blob server at {server} runs without one",
        (false, true) => $"the blob server at {server} requires a shared secret; set BlobClientOptions.SharedSecret (or the RPC service's RpcTransportOptions.SharedSecret)",
        _ => null,
    };
}
