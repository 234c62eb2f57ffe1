using System.Net;
using System.Net.Sockets;

namespace Toolkit.Rpc.Transport;

/// <summary>Accepts connections from other services and hands each to the server side of the handshake.</summary>
internal sealed class RpcListener : IDisposable
{
    private readonly TransportHost _service;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();

    private RpcListener(TransportHost service, Socket socket, string address)
    {
        _service = service;
        _socket = socket;
        Address = address;
    }

    /// <summary>The address peers reach the service at: the host as configured (this machine's name for a wildcard) and the bound port.</summary>
    public string Address { get; }

    /// <summary>Binds <paramref name="listen"/> (<c>host:port</c>; port 0 picks a free one) and starts accepting.</summary>
    public static RpcListener Start(TransportHost service, string listen)
    {
        (string host, int port) = RpcAddress.ParseHostPort(listen, $"Listen address '{listen}'");
        bool wildcard = host is "*" or "0.0.0.0" or "::";
        IPAddress ip = host switch
        {
            "*" or "0.0.0.0" => IPAddress.Any,
            "::" => IPAddress.IPv6Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out IPAddress? parsed) ? parsed : Dns.GetHostAddresses(host).First(),
        };
        Socket socket = new(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(ip, port));
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        int bound = ((IPEndPoint)socket.LocalEndPoint!).Port;
        RpcListener listener = new(service, socket, RpcAddress.Format(wildcard ? Dns.GetHostName() : host, bound));
        TransportLog.Listening(service.TransportLogger, service.NodeId, listener.Address);
        _ = listener.AcceptAsync();
        return listener;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }

    private async Task AcceptAsync()
    {
        TimeSpan backoff = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                backoff = TimeSpan.Zero;
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                continue;
            }
            catch (Exception exception)
            {
                // Out of file handles under a connection flood, say: keep listening, but give the process room first.
                TransportLog.AcceptFailed(_service.TransportLogger, exception, Address);
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(10) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.TicksPerSecond));
                try
                {
                    await Task.Delay(backoff, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            try
            {
                accepted.NoDelay = true;
            }
            catch (SocketException)
            {
                // The peer already reset the connection (some platforms refuse the option then): drop it.
                accepted.Dispose();
                continue;
            }

            RpcConnection.Accept(_service, accepted);
        }
    }
}
