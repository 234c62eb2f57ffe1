using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Toolkit.Rpc.Tests.Infrastructure;

/// <summary>One message a service logged.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message)
{
    public override string ToString() => $"[{Level} {EventId.Id}] {Category}: {Message}";
}

/// <summary>
/// An <see cref="ILoggerFactory"/> (and its own provider) that keeps every message, for
/// <see cref="RpcServiceOptions.LoggerFactory"/>: tests assert on what a service said and why.
/// </summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    /// <summary>The event ids of <c>TransportLog</c>.</summary>
    public const int Connected = 102;
    public const int Closed = 103;
    public const int ProtocolViolation = 104;
    public const int Refused = 105;
    public const int AcceptFailed = 108;
    public const int Unsent = 110;
    public const int ReaderTakenOver = 111;
    public const int HoldBroken = 112;

    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IEnumerable<LogEntry> WithEvent(int eventId) => _entries.Where(entry => entry.EventId.Id == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new LogEntry(category, logLevel, eventId, formatter(state, exception)));
    }
}
