using System.Globalization;
using Microsoft.Extensions.Options;
using Toolkit.Rpc.Transport;

namespace Toolkit.Rpc.Hosting;

/// <summary>
/// Checks <see cref="RpcHostOptions"/> when the host starts (<c>ValidateOnStart</c>), every problem at once, each
/// naming the option by its configuration path and the value it has.
/// </summary>
/// <param name="sectionPath">The configuration path the options were bound from, which starts each option's name.</param>
internal sealed class RpcHostOptionsValidator(string sectionPath) : IValidateOptions<RpcHostOptions>
{
    public ValidateOptionsResult Validate(string? name, RpcHostOptions options)
    {
        List<string> failures = [];
        void Fail(string option, object? value, string why) =>
            failures.Add($"{sectionPath}:{option} is {Show(value)}: {why}.");

        if (options.NodeId is { } nodeId && (nodeId.Length is 0 or > 256 || nodeId.Any(char.IsWhiteSpace)))
        {
            Fail(nameof(options.NodeId), nodeId, "a node id has 1 to 256 characters and no white space");
        }

        if (options.Listen is { } listen && !RpcAddress.TryParseHostPort(listen, out _, out _))
        {
            Fail(nameof(options.Listen), listen, "expected host:port, such as 127.0.0.1:6123 or 0.0.0.0:0 for any free port");
        }

        if (options.DefaultTimeout <= TimeSpan.Zero && options.DefaultTimeout != Timeout.InfiniteTimeSpan)
        {
            Fail(nameof(options.DefaultTimeout), options.DefaultTimeout, "the default timeout must be positive");
        }

        RpcHostTransportOptions transport = options.Transport ?? new();
        const string Transport = nameof(RpcHostOptions.Transport) + ":";
        if (transport.SharedSecret is { Length: 0 })
        {
            Fail(Transport + nameof(transport.SharedSecret), "", "leave it unset to run without authentication");
        }

        if (transport.SharedSecret is not null && transport.SharedSecretFile is not null)
        {
            Fail(Transport + nameof(transport.SharedSecretFile), transport.SharedSecretFile, $"set either it or {nameof(transport.SharedSecret)}, not both");
        }

        if (transport.SharedSecretFile is { } secretFile && !File.Exists(secretFile))
        {
            Fail(Transport + nameof(transport.SharedSecretFile), secretFile, "no such file");
        }

        if (transport.MaxFrameSize < 1024)
        {
            Fail(Transport + nameof(transport.MaxFrameSize), transport.MaxFrameSize, "a frame limit below 1024 bytes cannot hold a handshake");
        }

        if (transport.MaxPendingCalls < 1)
        {
            Fail(Transport + nameof(transport.MaxPendingCalls), transport.MaxPendingCalls, "at least one call must be allowed in flight");
        }

        if (transport.MaxQueuedBytes < transport.MaxFrameSize)
        {
            Fail(Transport + nameof(transport.MaxQueuedBytes), transport.MaxQueuedBytes, $"the send queue must hold at least one frame ({nameof(transport.MaxFrameSize)} is {transport.MaxFrameSize})");
        }

        if (transport.ConnectTimeout <= TimeSpan.Zero)
        {
            Fail(Transport + nameof(transport.ConnectTimeout), transport.ConnectTimeout, "the connect timeout must be positive");
        }

        if (transport.ReceiveSpin < TimeSpan.Zero || transport.ReceiveSpin > TimeSpan.FromSeconds(1))
        {
            Fail(Transport + nameof(transport.ReceiveSpin), transport.ReceiveSpin, "the receive spin must be between zero and one second");
        }

        if (transport.Tls is { } tls)
        {
            const string Tls = Transport + nameof(RpcHostTransportOptions.Tls) + ":";
            if (tls.KeyPath is not null && tls.CertificatePath is null)
            {
                Fail(Tls + nameof(tls.KeyPath), tls.KeyPath, $"a key needs its certificate in {nameof(tls.CertificatePath)}");
            }

            foreach ((string option, string? path) in new[] { (nameof(tls.CertificatePath), tls.CertificatePath), (nameof(tls.KeyPath), tls.KeyPath), (nameof(tls.TrustedCertificatesPath), tls.TrustedCertificatesPath) })
            {
                if (path is not null && !File.Exists(path))
                {
                    Fail(Tls + option, path, "no such file");
                }
            }

            if (options.Listen is not null && tls.CertificatePath is null)
            {
                Fail(Tls + nameof(tls.CertificatePath), null, "a listening service with TLS needs its certificate");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Show(object? value) => value switch
    {
        null => "unset",
        string text => $"'{text}'",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
