using System.Text.Json.Nodes;
using ChargeLink.Domain.Groups;
using ChargeLink.IntegrationTests.Support;
using ChargeLink.Orchestrator.Deciding;
using ChargeLink.Orchestrator.Storing;
using ChargeLink.Simulators;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChargeLink.IntegrationTests;

/// <summary>
/// An orchestrator that dies after appending a start decision and before publishing StartCharging: the
/// command is in the stream, and the relay of the instance that replaces it delivers it, once.
/// </summary>
[TestFixture]
public sealed class CrashRecoveryTests : SystemFixture
{
    private static readonly TaskCompletionSource Crashed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Action<IServiceCollection>? OrchestratorServices => services =>
        services.AddSingleton<ISagaEventStore<StationGroupSaga>>(provider => new CrashAfterStartDecision(new MartenSagaEventStore<StationGroupSaga>(provider.GetRequiredService<IDocumentStore>(), provider.GetRequiredService<GroupCommit>(), provider.GetServices<ISagaProjection<StationGroupSaga>>())));

    [Test]
    public async Task A_start_decision_appended_by_an_instance_that_died_before_publishing_is_delivered_after_restart()
    {
        await using var station = await AStationWithAnOccupiedConnector();
        var paymentId = $"pay_crash_{Deployment.RunId}";
        await Cloud.PublishAuthorization(PaymentCloudSimulator.Authorization(paymentId, Deployment.TerminalId));

        await Crashed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        // The work under test is undone at the moment of the crash: the decision was appended, nothing was sent.
        Assert.ThrowsAsync<TimeoutException>(() => station.NextCallFromGateway(TimeSpan.FromMilliseconds(200)), "no RemoteStartTransaction went out with the crash");
        await Deployment.StopOrchestrator(Deployment.Orchestrators.Single());
        Assert.That((await GroupEvents()).OfType<ChargingStartRequested>().Single().PaymentId, Is.EqualTo(paymentId), "the decision is in the stream");

        await Deployment.StartOrchestrator();
        var remoteStart = await station.NextCallFromGateway(TimeSpan.FromSeconds(20));
        Assert.That(remoteStart[3]!["idTag"]!.GetValue<string>(), Is.EqualTo(Deployment.IdTagOf(paymentId)));
        await station.Answer(remoteStart, new JsonObject { ["status"] = "Accepted" });
        Assert.ThrowsAsync<TimeoutException>(() => station.NextCallFromGateway(Quiet.AfterRepublish), "delivered once, not again");
    }

    /// <summary>Appends like the real store, then dies once the append held a start decision.</summary>
    private sealed class CrashAfterStartDecision(ISagaEventStore<StationGroupSaga> inner) : ISagaEventStore<StationGroupSaga>
    {
        public Task<(StationGroupSaga? Saga, long Version)> Load(Guid correlationId, CancellationToken cancellation) => inner.Load(correlationId, cancellation);

        public Task Preload(IReadOnlyCollection<Guid> correlationIds, CancellationToken cancellation) => inner.Preload(correlationIds, cancellation);

        public async Task Save(StationGroupSaga saga, long expectedVersion, CancellationToken cancellation)
        {
            var decided = saga.UncommittedEvents.OfType<ChargingStartRequested>().Any();
            await inner.Save(saga, expectedVersion, cancellation);
            if (decided && Crashed.TrySetResult())
                throw new InvalidOperationException("simulated crash between append and publish");
        }
    }
}
