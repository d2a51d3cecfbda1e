using System.Net;
using System.Net.Sockets;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>
/// A loopback TCP relay in front of a real service, so a test can take the service away from one component and
/// give it back (an outage as that component sees it) without stopping the service everyone else shares.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly IPEndPoint _target;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _stop = new();

    private TcpRelay(string targetHost, int targetPort) =>
        _target = new IPEndPoint(Dns.GetHostAddresses(targetHost).First(a => a.AddressFamily == AddressFamily.InterNetwork), targetPort);

    /// <summary>The loopback port to connect to instead of the service's.</summary>
    public int Port { get; private set; }

    public static TcpRelay Start(string targetHost, int targetPort)
    {
        var relay = new TcpRelay(targetHost, targetPort);
        relay.Open();
        return relay;
    }

    /// <summary>Accepts connections again on the same port.</summary>
    public void Open()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Accept(_listener, _stop.Token);
    }

    /// <summary>Cuts every relayed connection and refuses new ones, as a service that went down.</summary>
    public void Cut()
    {
        _stop.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var client in _open)
                client.Dispose();
            _open.Clear();
        }
    }

    private async Task Accept(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(_target, stop);
            }
            catch (Exception)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            lock (_open)
                _open.AddRange([inbound, outbound]);
            _ = Pump(inbound, outbound, stop);
            _ = Pump(outbound, inbound, stop);
        }
    }

    private static async Task Pump(TcpClient from, TcpClient to, CancellationToken stop)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), stop);
        }
        catch (Exception)
        {
            // A cut or a peer that closed: either way both directions end.
        }
        from.Dispose();
        to.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
