using System.Net;
using System.Net.Sockets;

namespace Lottery.Tests.Fixtures;

internal static class FreePort
{
    public static int Next()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
