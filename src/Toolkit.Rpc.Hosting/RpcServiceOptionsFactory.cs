using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc.Hosting;

/// <summary>Turns validated <see cref="RpcHostOptions"/> into the <see cref="RpcServiceOptions"/> a service starts with.</summary>
internal static class RpcServiceOptionsFactory
{
    public static RpcServiceOptions Create(RpcHostOptions options, ILoggerFactory loggerFactory, TimeProvider timeProvider, IMeterFactory? meterFactory = null)
    {
        RpcHostTransportOptions transport = options.Transport ?? new();
        return new RpcServiceOptions
        {
            NodeId = options.NodeId,
            Listen = options.Listen,
            DefaultTimeout = options.DefaultTimeout,
            SerializeLocalCalls = options.SerializeLocalCalls,
            LoggerFactory = loggerFactory,
            MeterFactory = meterFactory,
            TimeProvider = timeProvider,
            Transport = new RpcTransportOptions
            {
                SharedSecret = transport.SharedSecretFile is { } file ? File.ReadAllText(file).Trim() : transport.SharedSecret,
                MaxFrameSize = transport.MaxFrameSize,
                MaxPendingCalls = transport.MaxPendingCalls,
                MaxQueuedBytes = transport.MaxQueuedBytes,
                ConnectTimeout = transport.ConnectTimeout,
                DedicatedReaders = transport.DedicatedReaders,
                ReceiveSpin = transport.ReceiveSpin,
                Tls = transport.Tls is { } tls ? Tls(tls) : null,
            },
        };
    }

    private static RpcTlsOptions Tls(RpcHostTlsOptions tls) => new()
    {
        ServerCertificate = tls.CertificatePath is { } path ? LoadCertificate(path, tls.KeyPath, tls.CertificatePassword) : null,
        TargetHost = tls.TargetHost,
        RemoteCertificateValidation = tls.TrustedCertificatesPath is { } trusted ? TrustOnly(LoadTrusted(trusted)) : null,
    };

    private static X509Certificate2 LoadCertificate(string path, string? keyPath, string? password)
    {
        string extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        return password is null
            ? X509Certificate2.CreateFromPemFile(path, keyPath)
            : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
    }

    private static X509Certificate2Collection LoadTrusted(string path)
    {
        X509Certificate2Collection trusted = [];
        trusted.ImportFromPemFile(path);
        return trusted;
    }

    // The server's certificate is trusted when it is one of 'trusted' (a pinned or self-signed certificate) or chains
    // to one of them; its name must match either way.
    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection trusted) => (_, certificate, _, errors) =>
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using X509Certificate2 server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (trusted.Any(candidate => candidate.RawDataMemory.Span.SequenceEqual(server.RawDataMemory.Span)))
        {
            return true;
        }

        using X509Chain chain = new();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        return chain.Build(server);
    };
}
