using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Strands.Tests.TestUtilities;

/// <summary>A logger factory that keeps every entry, at every level, with its formatted message and its structured values.</summary>
public sealed class RecordingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>One log entry.</summary>
    /// <param name="Category">The logger category.</param>
    /// <param name="Level">The level.</param>
    /// <param name="EventId">The event id.</param>
    /// <param name="Message">The formatted message.</param>
    /// <param name="Values">The structured values, rendered with <see cref="object.ToString"/>.</param>
    /// <param name="Exception">The exception logged with the entry, if any.</param>
    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, string?>> Values, Exception? Exception)
    {
        /// <summary>Everything the entry would put in a log sink.</summary>
        public override string ToString() =>
            $"{Level} {Category}[{EventId.Id}] {Message} {{{string.Join(", ", Values.Select(v => $"{v.Key}={v.Value}"))}}} {Exception}";
    }

    /// <summary>The entries so far.</summary>
    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider)
    {
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value?.ToString())).ToList()
                : [];
            owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), values, exception));
        }
    }
}
