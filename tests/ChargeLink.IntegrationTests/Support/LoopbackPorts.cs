using System.Net;
using System.Net.Sockets;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>Ports on 127.0.0.1 for services a test starts as processes, which cannot report a port 0 they were given.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nobody listens on at this moment (the system's choice, so it rarely collides).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when this process could listen on the port now: whoever held it has let it go.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
