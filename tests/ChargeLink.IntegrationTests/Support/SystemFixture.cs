using ChargeLink.Cli.Simulators;
using ChargeLink.Contracts;
using Marten;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>A fixture with its own running ChargeLink, a payment cloud to talk to it, and a view of its group's stream.</summary>
public abstract class SystemFixture
{
    protected ChargeLinkSystem Deployment { get; private set; } = null!;
    protected PaymentCloudSimulator Cloud { get; private set; } = null!;
    private IDocumentStore _store = null!;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        Deployment = await ChargeLinkSystem.Start();
        Cloud = new PaymentCloudSimulator(RealServices.RabbitMq, Deployment.PaymentSecret);
        _store = Deployment.EventStore();
    }

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        _store.Dispose();
        await Cloud.DisposeAsync();
        await Deployment.DisposeAsync();
    }

    /// <summary>The events of the test group's stream, oldest first, as stored in PostgreSQL.</summary>
    protected async Task<IReadOnlyList<object>> GroupEvents()
    {
        await using var session = _store.QuerySession();
        return (await session.Events.FetchStreamAsync(GroupCorrelation.IdOf(Deployment.GroupId))).Select(e => e.Data).ToList();
    }

    protected IDocumentStore EventStore => _store;
}
