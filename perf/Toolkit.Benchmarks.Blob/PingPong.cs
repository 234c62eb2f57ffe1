using System.Net;
using System.Net.Sockets;

namespace Toolkit.Benchmarks.Blob;

/// <summary>
/// The plain TCP ping-pong that echo-64 is compared with: 64 bytes each way over a socket of its own, one exchange in
/// flight, blocking calls on a dedicated thread on both sides — nothing but the kernel and two threads.
/// </summary>
internal static class PingPong
{
    public const int Size = 64;

    /// <summary>The server side: a thread per connection sends back every 64 bytes it receives.</summary>
    public static Socket Listen()
    {
        Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        new Thread(() =>
        {
            try
            {
                while (true)
                {
                    Socket connection = listener.Accept();
                    connection.NoDelay = true;
                    new Thread(() => Serve(connection)) { IsBackground = true, Name = "ping-pong server" }.Start();
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // The listener was closed: the server is stopping.
            }
        })
        { IsBackground = true, Name = "ping-pong listener" }.Start();
        return listener;
    }

    private static void Serve(Socket connection)
    {
        using Socket socket = connection;
        byte[] buffer = new byte[Size];
        try
        {
            while (ReceiveExactly(socket, buffer))
            {
                socket.Send(buffer);
            }
        }
        catch (SocketException)
        {
            // The client went away.
        }
    }

    /// <summary>Fills <paramref name="buffer"/>; false when the peer closed the connection first.</summary>
    public static bool ReceiveExactly(Socket socket, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = socket.Receive(buffer, total, buffer.Length - total, SocketFlags.None);
            if (read == 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }
}
