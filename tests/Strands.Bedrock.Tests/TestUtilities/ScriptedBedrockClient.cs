using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Strands.Bedrock;
using Strands.Content;

namespace Strands.Tests.TestUtilities;

/// <summary>
/// A scripted <see cref="IBedrockRuntimeClient"/>: each ConverseStream call plays the next queued turn of events, each
/// Converse call returns the next queued response. Every request is recorded.
/// </summary>
public sealed class ScriptedBedrockClient : IBedrockRuntimeClient
{
    private readonly ConcurrentQueue<Func<IReadOnlyList<StreamEvent>>> _turns = new();
    private readonly ConcurrentQueue<ConverseResponse> _responses = new();

    public ConcurrentQueue<ConverseStreamRequest> StreamRequests { get; } = new();

    public ConcurrentQueue<ConverseRequest> Requests { get; } = new();

    public ScriptedBedrockClient Then(params StreamEvent[] events)
    {
        _turns.Enqueue(() => events);
        return this;
    }

    public ScriptedBedrockClient ThenThrow(Exception exception)
    {
        _turns.Enqueue(() => throw exception);
        return this;
    }

    public ScriptedBedrockClient ThenRespond(ConverseResponse response)
    {
        _responses.Enqueue(response);
        return this;
    }

    public Task<ConverseResponse> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue(request);
        return _responses.TryDequeue(out var response)
            ? Task.FromResult(response)
            : throw new InvalidOperationException("No scripted Converse response left.");
    }

    public async IAsyncEnumerable<StreamEvent> ConverseStreamAsync(ConverseStreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StreamRequests.Enqueue(request);
        if (!_turns.TryDequeue(out var turn))
        {
            throw new InvalidOperationException("No scripted ConverseStream turn left.");
        }

        foreach (var streamEvent in turn())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return streamEvent;
        }
    }

    // ---- event builders

    public static StreamEvent[] TextTurn(string text, TokenUsage? usage = null, StopReason? stopReason = null) =>
    [
        new MessageStartEvent(),
        new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = text } },
        new ContentBlockStopEvent(),
        new MessageStopEvent { StopReason = stopReason ?? StopReason.EndTurn },
        Metadata(usage),
    ];

    public static StreamEvent[] ToolTurn(string toolUseId, string name, string inputJson, TokenUsage? usage = null) =>
    [
        new MessageStartEvent(),
        new ContentBlockStartEvent { Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = toolUseId, Name = name } } },
        new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = inputJson } } },
        new ContentBlockStopEvent(),
        new MessageStopEvent { StopReason = StopReason.ToolUse },
        Metadata(usage),
    ];

    public static MetadataEvent Metadata(TokenUsage? usage) => new()
    {
        Usage = usage ?? new TokenUsage { InputTokens = 10, OutputTokens = 5, TotalTokens = 15 },
        Metrics = new ConverseMetrics { LatencyMs = 7 },
    };
}
