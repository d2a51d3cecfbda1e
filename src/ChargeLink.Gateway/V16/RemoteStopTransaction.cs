namespace ChargeLink.Gateway.V16;

/// <summary>StopCharging for a 1.6 station: the transaction id the gateway gave it.</summary>
public sealed class RemoteStopTransaction : V16Command<StopCharging>
{
    public override string Action => "RemoteStopTransaction";

    protected override Task<JsonObject> Payload(StopCharging command, CancellationToken cancellation) =>
        Task.FromResult(new JsonObject { ["transactionId"] = command.TransactionId });
}
