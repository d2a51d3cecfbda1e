using System.Collections.Concurrent;
using ChargeLink.Contracts;
using MassTransit;

namespace ChargeLink.Orchestrator.Delivering;

/// <summary>
/// The commands this process has seen the broker confirm, by message id, so that the relay (<see cref="CommandRelay"/>)
/// publishes again only what no one here saw delivered: in steady state each command goes out once. A command whose
/// publish died with its process is unknown to the next one, which relays it. Entries are dropped as the relay passes
/// them, and after <see cref="KeepFor"/> in any case (when the relay leads on another instance, it never passes them here).
/// </summary>
public sealed class DispatchedCommands(TimeProvider clock) : ISendObserver, IPublishObserver
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _confirmed = new();
    private DateTimeOffset _nextPrune = DateTimeOffset.MinValue;

    /// <summary>True once for a command confirmed here (and forgets it), false for any other.</summary>
    public bool TakeConfirmed(Guid messageId) => _confirmed.TryRemove(messageId, out _);

    private Task Confirmed(Guid? messageId, object message)
    {
        if (messageId is { } id && message is StartCharging or StopCharging or CapturePayment or VoidPayment)
        {
            var now = clock.GetUtcNow();
            _confirmed[id] = now;
            if (now >= _nextPrune)
            {
                _nextPrune = now + KeepFor;
                foreach (var (old, at) in _confirmed)
                {
                    if (now - at > KeepFor)
                        _confirmed.TryRemove(old, out _);
                }
            }
        }
        return Task.CompletedTask;
    }

    public Task PostSend<T>(SendContext<T> context) where T : class => Confirmed(context.MessageId, context.Message);

    public Task PostPublish<T>(PublishContext<T> context) where T : class => Confirmed(context.MessageId, context.Message);

    public Task PreSend<T>(SendContext<T> context) where T : class => Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception) where T : class => Task.CompletedTask;

    public Task PrePublish<T>(PublishContext<T> context) where T : class => Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception) where T : class => Task.CompletedTask;
}
