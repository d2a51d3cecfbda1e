using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ChargeLink.IntegrationTests.Support;

/// <summary>A Serilog sink that keeps every event, to check what the services log and with which properties.</summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public static string? Property(LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) ? (value as ScalarValue)?.Value?.ToString() ?? value.ToString() : null;
}
