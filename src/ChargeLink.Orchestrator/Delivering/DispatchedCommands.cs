using System.Collections.Concurrent;
using MassTransit;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>
/// The commands this process has seen the broker confirm, by message id and when, so that the relay
/// (<see cref="CommandRelay"/>) publishes again only what no one here saw delivered: in steady state each command goes
/// out once. A command whose publish died with its process is unknown to the next one, which relays it. An entry is
/// kept until the relay has passed its event, however far behind the relay is: the relay takes it when it meets the
/// command, and forgets every entry confirmed before the last event it passed (a command is confirmed after its event
/// was appended), on whichever instance leads.
/// </summary>
public sealed class DispatchedCommands(TimeProvider clock) : ISendObserver, IPublishObserver
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _confirmed = new();

    /// <summary>How many confirmations are remembered now.</summary>
    public int Count => _confirmed.Count;

    /// <summary>True once for a command confirmed here (and forgets it), false for any other.</summary>
    public bool TakeConfirmed(Guid messageId) => _confirmed.TryRemove(messageId, out _);

    /// <summary>Forgets the commands confirmed before <paramref name="passedAt"/>: the relay has passed their
    /// events.</summary>
    public void ForgetConfirmedBefore(DateTimeOffset passedAt)
    {
        foreach (var (id, at) in _confirmed)
        {
            if (at < passedAt)
                _confirmed.TryRemove(id, out _);
        }
    }

    private Task Confirmed(Guid? messageId, object message)
    {
        if (messageId is { } id && message is StartCharging or StopCharging or CapturePayment or VoidPayment)
            _confirmed[id] = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class => Confirmed(context.MessageId, context.Message);

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class => Confirmed(context.MessageId, context.Message);

    public Task PreSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;
}
