using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// A service listens on two addresses: its own (stations, the operator, the contract's /health/ready) and a management
/// one (/metrics, /health/* with each check's detail), loopback by default, so that what is counted and what failed
/// inside is never served where stations and browsers connect. A connection knows which it came in on by a mark its
/// listener sets, not by the Host header a client writes.
/// </summary>
public static class Listening
{
    private const string ManagementMark = "chargelink.management";

    /// <summary>Listens on <paramref name="main"/> (with TLS when it is https: <see cref="IMainEndpointTls"/>) and
    /// <paramref name="management"/>.</summary>
    public static void Configure(IWebHostBuilder host, Uri main, Uri management) =>
        host.ConfigureServices(services => services.AddTransient<IStartupFilter, AddressSeparation>())
            .ConfigureKestrel(kestrel =>
            {
                Listen(kestrel, main, listen =>
                {
                    if (main.Scheme == Uri.UriSchemeHttps)
                    {
                        var tls = kestrel.ApplicationServices.GetService<IMainEndpointTls>()
                            ?? throw new InvalidOperationException(
                                $"{main} is https, and this service has no TLS for it"
                            );
                        tls.Configure(listen);
                    }
                });
                Listen(kestrel, management, listen => listen.Use(next =>
                        connection =>
                        {
                            connection.Items[ManagementMark] = true;
                            return next(connection);
                        }
                    ));
            });

    /// <summary>Whether the request came in on the management address.</summary>
    public static bool IsManagement(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(ManagementMark) == true;

    /// <summary>Whether a path belongs to the management address (everything else 404s there, and /metrics 404s
    /// elsewhere).</summary>
    public static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/health");

    /// <summary>
    /// Keeps each address to its own paths, first in the pipeline (before authentication and authorization, which would
    /// answer 401 for a path that is not there); /health/* answers on both (the contract's readiness is on the main
    /// one).
    /// </summary>
    public sealed class AddressSeparation : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
            app =>
            {
                app.Use(
                    (context, following) =>
                    {
                        var management = IsManagement(context);
                        var path = context.Request.Path;
                        if (
                            (management && !IsManagementPath(path))
                            || (!management && path.StartsWithSegments("/metrics"))
                        )
                        {
                            context.Response.StatusCode = StatusCodes.Status404NotFound;
                            return Task.CompletedTask;
                        }
                        return following(context);
                    }
                );
                next(app);
            };
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, Action<ListenOptions> configure)
    {
        var host = url.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var address))
            kestrel.Listen(address, url.Port, configure);
        else if (host == "localhost")
            kestrel.ListenLocalhost(url.Port, configure);
        else
            // A name: every interface, as Kestrel does with such a URL.
            kestrel.ListenAnyIP(url.Port, configure);
    }
}

/// <summary>The TLS of a service's main address, where it is https (the gateway's security profiles 2 and 3).</summary>
public interface IMainEndpointTls
{
    void Configure(ListenOptions listen);
}
