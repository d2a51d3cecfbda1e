using System.Text.Json;
using ChargeLink.Contracts;
using ChargeLink.Domain.Groups;
using MassTransit.Serialization;

namespace ChargeLink.UnitTests.Contracts;

/// <summary>
/// Enums in messages travel as their names, as the strings they replaced did: a service of the previous release reads
/// what this one writes, and the other way round.
/// </summary>
public sealed class EnumWireFormTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void A_remote_start_outcome_is_written_as_its_name_and_read_back_from_it()
    {
        var json = JsonSerializer.Serialize(new RemoteStartCompleted("site-1", "CP-1", 1, "pay-1", CommandOutcome.TimedOut, T0), SystemTextJsonMessageSerializer.Options);
        Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("outcome").GetString(), Is.EqualTo("TimedOut"));

        var read = JsonSerializer.Deserialize<RemoteStartCompleted>("""{"groupId":"site-1","chargePointId":"CP-1","connectorId":1,"paymentId":"pay-1","outcome":"Offline","receivedAt":"2026-12-01T10:00:00Z"}""", SystemTextJsonMessageSerializer.Options);
        Assert.That(read!.Outcome, Is.EqualTo(CommandOutcome.Offline));
    }

    [Test]
    public void A_connector_status_is_written_as_its_name_and_read_back_from_it()
    {
        var json = JsonSerializer.Serialize(new ConnectorStatusChanged("site-1", "CP-1", 1, ConnectorStatus.SuspendedEVSE, "NoError", null, T0), SystemTextJsonMessageSerializer.Options);
        Assert.That(JsonDocument.Parse(json).RootElement.GetProperty("status").GetString(), Is.EqualTo("SuspendedEVSE"));

        var read = JsonSerializer.Deserialize<ConnectorStatusChanged>("""{"groupId":"site-1","chargePointId":"CP-1","connectorId":1,"status":"Preparing","errorCode":"NoError","receivedAt":"2026-12-01T10:00:00Z"}""", SystemTextJsonMessageSerializer.Options);
        Assert.That(read!.Status, Is.EqualTo(ConnectorStatus.Preparing));
    }
}
