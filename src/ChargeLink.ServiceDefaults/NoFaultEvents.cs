using MassTransit;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Turns off MassTransit's Fault&lt;T&gt; events on every receive endpoint. Nobody consumes them (a failed message goes
/// to its endpoint's _error queue all the same), and publishing them would need exchanges that no account may make.
/// </summary>
public sealed class NoFaultEvents : IEndpointConfigurationObserver
{
    public void EndpointConfigured<T>(T configurator)
        where T : IReceiveEndpointConfigurator => configurator.PublishFaults = false;
}
