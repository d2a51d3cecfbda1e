using ChargeLink.Cli.Simulators;
using ChargeLink.Contracts;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>A fixture with its own running ChargeLink, a payment cloud to talk to it, and a view of its group's stream.</summary>
public abstract class SystemFixture
{
    protected ChargeLinkSystem Deployment { get; private set; } = null!;
    protected PaymentCloudSimulator Cloud { get; private set; } = null!;
    private IDocumentStore _store = null!;

    /// <summary>Settings this fixture's deployment runs with, on top of the test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>How many station groups this fixture's topology has.</summary>
    protected virtual int Groups => 1;

    /// <summary>Replaces services of the (first) orchestrator instance, to inject a fault.</summary>
    protected virtual Action<IServiceCollection>? OrchestratorServices => null;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        Deployment = await ChargeLinkSystem.Start(Settings, Groups, OrchestratorServices);
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

    // A failed test shows what the services warned about: on CI, that is all there is to go on.
    [TearDown]
    public void ShowServiceWarningsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed)
            return;
        foreach (var e in Deployment.Logs.Events.Where(e => e.Level >= Serilog.Events.LogEventLevel.Warning).TakeLast(40))
            TestContext.Out.WriteLine($"{e.Timestamp:HH:mm:ss.fff} {e.Level} {e.RenderMessage()} {e.Exception?.GetType().Name}: {e.Exception?.Message}");
    }

    /// <summary>The events of a group's stream (the first group's by default), oldest first, as stored in PostgreSQL.</summary>
    protected async Task<IReadOnlyList<object>> GroupEvents(string? groupId = null)
    {
        await using var session = _store.QuerySession();
        return (await session.Events.FetchStreamAsync(GroupCorrelation.IdOf(groupId ?? Deployment.GroupId))).Select(e => e.Data).ToList();
    }

    protected IDocumentStore EventStore => _store;
}
