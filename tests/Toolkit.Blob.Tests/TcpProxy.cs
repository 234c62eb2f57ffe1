using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Toolkit.Blob.Tests;

/// <summary>
/// A TCP proxy in front of a blob server's transfer port: it can slow the bytes it forwards (so a test can act in the
/// middle of a transfer) and counts the bytes each connection carried towards the client.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly Task _accepting;

    public TcpProxy(string target, long bytesPerSecond)
    {
        int colon = target.LastIndexOf(':');
        Target = new IPEndPoint(IPAddress.Parse(target[..colon]), int.Parse(target[(colon + 1)..]));
        BytesPerSecond = bytesPerSecond;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen();
        _accepting = AcceptAsync();
    }

    public IPEndPoint Target { get; }

    public long BytesPerSecond { get; }

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";

    /// <summary>Bytes sent towards the client, per connection, in the order the connections came.</summary>
    public ConcurrentQueue<StrongBox<long>> Downstream { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Socket server = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _sockets.Add(client);
            _sockets.Add(server);
            StrongBox<long> counter = new();
            Downstream.Enqueue(counter);
            _ = Task.Run(async () =>
            {
                try
                {
                    await server.ConnectAsync(Target, _stop.Token);
                }
                catch (Exception)
                {
                    client.Dispose();
                    server.Dispose();
                    return;
                }

                Task up = PumpAsync(client, server, null);
                Task down = PumpAsync(server, client, counter);
                await Task.WhenAny(up, down);
                client.Dispose();
                server.Dispose();
            });
        }
    }

    private async Task PumpAsync(Socket from, Socket to, StrongBox<long>? counter)
    {
        byte[] buffer = new byte[64 * 1024];
        long started = Environment.TickCount64;
        long moved = 0;
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                moved += read;
                if (counter is not null)
                {
                    Interlocked.Add(ref counter.Value, read);
                }

                long due = moved * 1000 / BytesPerSecond - (Environment.TickCount64 - started);
                if (due > 0)
                {
                    await Task.Delay((int)due, _stop.Token);
                }
            }
        }
        catch (Exception)
        {
            // Either side went away; the other is closed by the caller.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }

        await _accepting;
    }
}
