using System.Text.Json.Nodes;
using ChargeLink.Contracts;
using ChargeLink.Contracts.PaymentCloud;
using ChargeLink.Domain.Groups;
using ChargeLink.Simulators;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>A fixture with its own running ChargeLink, a payment cloud to talk to it, and a view of its group's stream.</summary>
public abstract partial class SystemFixture
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

    /// <summary>False: the fixture runs its orchestrators as processes of its own (<see cref="OrchestratorProcess"/>).</summary>
    protected virtual bool OrchestratorInProcess => true;

    [OneTimeSetUp]
    public async Task StartSystem()
    {
        Deployment = await ChargeLinkSystem.Start(Settings, Groups, OrchestratorServices, OrchestratorInProcess);
        Cloud = new PaymentCloudSimulator(RealServices.PaymentCloud, Deployment.PaymentSecret);
        _store = Deployment.EventStore();
    }

    private Orchestrator.Storing.GroupCommit? _commits;

    /// <summary>A group commit of the fixture's own over its event store, for tests that append through the store directly.</summary>
    protected Orchestrator.Storing.GroupCommit Commits => _commits ??= new Orchestrator.Storing.GroupCommit(_store);

    [OneTimeTearDown]
    public async Task StopSystem()
    {
        if (_commits is not null)
            await _commits.DisposeAsync();
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

    protected sealed record ReceivedInstruction(JsonNode Json, string? MessageId, bool Signed);

    private readonly List<ReceivedInstruction> _instructions = [];

    /// <summary>The first instruction for a payment on payment-cloud.instructions.</summary>
    // The instructions queue is shared: collect everything, keep what is ours.
    protected async Task<ReceivedInstruction> Instruction(string paymentId, TimeSpan? within = null) =>
        await Eventually.Get(async () =>
        {
            await DrainInstructions();
            return _instructions.FirstOrDefault(i => i.Json["paymentId"]?.GetValue<string>() == paymentId);
        }, within ?? TimeSpan.FromSeconds(20), $"an instruction for {paymentId}");

    // Exactly one outcome, counted where it is decided (settlement events in the group's stream) and where it arrives
    // (instructions, all of them and the distinct ones: the adapter drops a repeated message id, so a second, different
    // decision would look like a repeat if only the first were counted). Waits out the relay's republish window first.
    protected Task AssertNoSecondInstruction(int group, string paymentId, int expected = 1) => AssertNoSecondInstructions([(group, paymentId)], expected);

    /// <summary>As <see cref="AssertNoSecondInstruction"/> for many payments, waiting out the republish window once.</summary>
    protected async Task AssertNoSecondInstructions(IEnumerable<(int Group, string PaymentId)> payments, int expected = 1)
    {
        await Task.Delay(Quiet.AfterRepublish);
        await DrainInstructions();
        foreach (var (group, paymentId) in payments)
        {
            var mine = _instructions.Where(i => i.Json["paymentId"]?.GetValue<string>() == paymentId).ToList();
            var settlements = (await GroupEvents(Deployment.GroupIdOf(group))).Count(e => e is PaymentCaptureRequested c && c.PaymentId == paymentId || e is PaymentVoidRequested v && v.PaymentId == paymentId);
            Assert.Multiple(() =>
            {
                Assert.That(settlements, Is.EqualTo(expected), $"settlement events for {paymentId} in its stream");
                Assert.That(mine, Has.Count.EqualTo(expected), $"instructions for {paymentId}");
                Assert.That(mine.Select(i => i.Json.ToJsonString()).Distinct().Count(), Is.EqualTo(expected), $"distinct instructions for {paymentId}");
            });
        }
    }

    protected async Task DrainInstructions()
    {
        while (await Cloud.Take(PaymentCloudQueues.Instructions) is { } message)
            _instructions.Add(new ReceivedInstruction(JsonNode.Parse(message.Body.Span)!, message.BasicProperties.MessageId, Cloud.HasValidSignature(message)));
    }

    /// <summary>Everything collected from the instructions queue so far.</summary>
    protected IReadOnlyList<ReceivedInstruction> Instructions => _instructions;

    /// <summary>A StatusNotification from the station, answered with a CALLRESULT.</summary>
    protected static async Task Status(StationSimulator station, int connector, string status)
    {
        var answer = await station.Call("StatusNotification", new JsonObject { ["connectorId"] = connector, ["errorCode"] = status == "Faulted" ? "OtherError" : "NoError", ["status"] = status });
        Assert.That(answer[0]!.GetValue<int>(), Is.EqualTo(3), answer.ToJsonString());
    }

    /// <summary>A station's timestamp for now, as OCPP writes it.</summary>
    protected static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
}
