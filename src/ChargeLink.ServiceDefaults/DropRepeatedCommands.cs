using ChargeLink.Contracts;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace ChargeLink.ServiceDefaults;

/// <summary>
/// Drops a command whose message id this process handled lately (<see cref="RecentMessageIds"/>): commands are
/// published at least once, and a repeat must not act twice. Written once for every command consumer, as a consume
/// filter (<c>endpoint.UseConsumeFilter(typeof(DropRepeatedCommands&lt;&gt;), context)</c>). Its log scope carries the
/// command's group and payment. A consumer whose work fails (it throws), or that leaves the command to another instance
/// (<see cref="CommandClaim.Release"/>), frees the id, so that the retry or the copy elsewhere is not taken for a
/// repeat.
/// </summary>
public sealed class DropRepeatedCommands<T>(RecentMessageIds recent, ILogger<DropRepeatedCommands<T>> logger)
    : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        if (context.Message is not IGroupCommand command || context.MessageId is not { } messageId)
        {
            await next.Send(context);
            return;
        }
        using var scope = logger.BeginScope(
            new Dictionary<string, object> { ["GroupId"] = command.GroupId, ["PaymentId"] = command.PaymentId }
        );
        if (!recent.TryClaim(messageId))
        {
            logger.LogInformation(
                "{CommandType} {MessageId} for payment {PaymentId} seen before; dropped",
                typeof(T).Name,
                messageId,
                command.PaymentId
            );
            return;
        }
        var claim = context.GetOrAddPayload(() => new CommandClaim(recent, messageId));
        try
        {
            await next.Send(context);
        }
        catch
        {
            claim.Release();
            throw;
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("dropRepeatedCommands");
}

/// <summary>The claim on a command's message id, for a consumer that leaves the command to someone else.</summary>
public sealed class CommandClaim(RecentMessageIds recent, Guid messageId)
{
    public void Release() => recent.Release(messageId);
}
