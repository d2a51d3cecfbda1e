namespace ChargeLink.Gateway.Commands;

/// <summary>
/// The station commands this gateway carries, found at start: every <see cref="IStationOperation{T}"/> of the assembly.
/// Each gets a consumer on this instance's queue and an Offline answer on the unroutable one (wired in
/// <see cref="Extensions"/>), so a new operation's file is all the wiring it needs.
/// </summary>
public static class StationOperations
{
    public static readonly IReadOnlyList<(Type Command, Type Operation)> All =
    [
        .. typeof(StationOperations)
            .Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false })
            .SelectMany(t =>
                t.GetInterfaces()
                    .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStationOperation<>))
                    .Select(i => (i.GetGenericArguments()[0], t))
            ),
    ];

    public static IEnumerable<Type> Consumers =>
        All.Select(o => typeof(StationCommandConsumer<>).MakeGenericType(o.Command));

    public static IEnumerable<Type> OfflineConsumers =>
        All.Select(o => typeof(OfflineStationConsumer<>).MakeGenericType(o.Command));
}
