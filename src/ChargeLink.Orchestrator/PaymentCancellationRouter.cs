using ChargeLink.Contracts;
using ChargeLink.Domain.Topology;
using ChargeLink.ServiceDefaults;
using MassTransit;
using Npgsql;

namespace ChargeLink.Orchestrator;

/// <summary>
/// A cancellation names only the payment. Its group is the stream that holds the payment's authorization;
/// found, the cancellation goes on to that group's saga. Not found yet (it overtook its authorization), the
/// consumer throws and the retry policy tries again a little later.
/// </summary>
public sealed class PaymentCancellationRouter(ChargeLinkSettings settings, SiteTopology topology, ILogger<PaymentCancellationRouter> logger) : IConsumer<PaymentCancellationReceived>
{
    private readonly Dictionary<Guid, string> _groupsByStream = topology.Groups.ToDictionary(g => GroupCorrelation.IdOf(g.Id), g => g.Id);

    public async Task Consume(ConsumeContext<PaymentCancellationReceived> context)
    {
        var paymentId = context.Message.PaymentId;
        await using var connection = new NpgsqlConnection(settings.Postgres);
        await connection.OpenAsync(context.CancellationToken);
        // The authorization event's JSON names the payment; one row at most per payment.
        await using var find = new NpgsqlCommand(
            $"select stream_id from \"{settings.PostgresSchema}\".mt_events where type = 'payment_authorization_received_v1' and data ->> 'PaymentId' = @paymentId limit 1",
            connection);
        find.Parameters.AddWithValue("paymentId", paymentId);
        if (await find.ExecuteScalarAsync(context.CancellationToken) is not Guid streamId || !_groupsByStream.TryGetValue(streamId, out var groupId))
            throw new PaymentNotFoundYetException(paymentId);

        logger.LogInformation("Cancellation of payment {PaymentId} goes to group {GroupId}", paymentId, groupId);
        await context.Publish(new PaymentCancellationRouted(groupId, paymentId, context.Message.ReceivedAt));
    }
}

public sealed class PaymentNotFoundYetException(string paymentId) : Exception($"no authorization for payment {paymentId} has reached any group yet");
