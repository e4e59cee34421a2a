using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strands.Bedrock;
using Strands.Bedrock.Json;
using Strands.Bedrock.Testing;
using Strands.Content;

namespace Strands.Tests.TestUtilities;

/// <summary>
/// The in-process <see cref="IBedrockRuntimeClient"/> fake: each ConverseStream call plays the next queued turn, each
/// Converse call takes the next queued response. Every call is recorded when it is made, before anything is enumerated.
/// Like Bedrock, it rejects messages that break the service's rules (<see cref="ConversationRules"/>) with a
/// <see cref="ValidationException"/> in the service's words, without using up a scripted turn, unless
/// <see cref="ValidateConversation"/> is off. A call with nothing left in its queue fails with
/// <see cref="InvalidOperationException"/>, so a test that scripts nothing for an operation also asserts that the
/// operation is never called.
/// </summary>
public sealed class ScriptedBedrockClient : IBedrockRuntimeClient
{
    private readonly ConcurrentQueue<Turn> _turns = new();
    private readonly ConcurrentQueue<Func<ConverseResponse>> _responses = new();

    /// <summary>The ConverseStream requests, in call order.</summary>
    public ConcurrentQueue<ConverseStreamRequest> StreamRequests { get; } = new();

    /// <summary>The Converse requests, in call order.</summary>
    public ConcurrentQueue<ConverseRequest> Requests { get; } = new();

    /// <summary>Whether each request's messages are checked as Bedrock checks them (default true); off for tests of how odd histories are formatted.</summary>
    public bool ValidateConversation { get; init; } = true;

    /// <summary>Queues a ConverseStream turn that yields <paramref name="events"/> and ends.</summary>
    public ScriptedBedrockClient Then(params StreamEvent[] events) => Then(events, thenThrow: null);

    /// <summary>Queues a ConverseStream turn that yields <paramref name="events"/>, then throws <paramref name="thenThrow"/> if given (an error in the stream).</summary>
    public ScriptedBedrockClient Then(IReadOnlyList<StreamEvent> events, Exception? thenThrow)
    {
        _turns.Enqueue(new Turn(events, thenThrow));
        return this;
    }

    /// <summary>Queues a ConverseStream turn that throws <paramref name="exception"/> before any event (an error response).</summary>
    public ScriptedBedrockClient ThenThrow(Exception exception) => Then([], exception);

    /// <summary>Queues a Converse response.</summary>
    public ScriptedBedrockClient ThenRespond(ConverseResponse response)
    {
        _responses.Enqueue(() => response);
        return this;
    }

    /// <summary>Queues a Converse call that fails with <paramref name="exception"/>.</summary>
    public ScriptedBedrockClient ThenRespondWithError(Exception exception)
    {
        _responses.Enqueue(() => throw exception);
        return this;
    }

    /// <inheritdoc/>
    public Task<ConverseResponse> ConverseAsync(ConverseRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Enqueue(request);
        if (Rejection(request) is { } rejection)
        {
            return Task.FromException<ConverseResponse>(rejection);
        }

        if (!_responses.TryDequeue(out var respond))
        {
            return Task.FromException<ConverseResponse>(new InvalidOperationException("No scripted Converse response left."));
        }

        try
        {
            return Task.FromResult(respond());
        }
        catch (Exception ex)
        {
            return Task.FromException<ConverseResponse>(ex);
        }
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<StreamEvent> ConverseStreamAsync(ConverseStreamRequest request, CancellationToken cancellationToken = default)
    {
        StreamRequests.Enqueue(request);
        if (Rejection(request) is { } rejection)
        {
            return Play(new Turn([], rejection), cancellationToken);
        }

        return Play(_turns.TryDequeue(out var turn) ? turn : null, cancellationToken);
    }

    /// <summary>The last ConverseStream request as wire JSON, with the model id (which travels in the path) as <c>"modelId"</c>.</summary>
    public JsonObject LastStreamRequestJson()
    {
        var request = StreamRequests.Last();
        var json = JsonSerializer.SerializeToNode(request, BedrockJsonContext.Default.ConverseStreamRequest)!.AsObject();
        json["modelId"] = request.ModelId;
        return json;
    }

    private ValidationException? Rejection(ConverseRequestBase request)
    {
        if (!ValidateConversation)
        {
            return null;
        }

        var violation = request.Messages is { } messages
            ? ConversationRules.FindViolation(messages)
            : "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null";
        return violation is null ? null : new ValidationException(violation, HttpStatusCode.BadRequest, requestId: null);
    }

    private static async IAsyncEnumerable<StreamEvent> Play(Turn? turn, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Like the real client, the call itself does not fail: errors surface when the stream is read.
        if (turn is null)
        {
            throw new InvalidOperationException("No scripted ConverseStream turn left.");
        }

        foreach (var streamEvent in turn.Events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return streamEvent;
        }

        if (turn.ThenThrow is not null)
        {
            throw turn.ThenThrow;
        }
    }

    // ---- event builders

    /// <summary>A turn that answers <paramref name="text"/> in one delta.</summary>
    public static StreamEvent[] TextTurn(string text, TokenUsage? usage = null, StopReason? stopReason = null) =>
    [
        new MessageStartEvent(),
        new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = text } },
        new ContentBlockStopEvent(),
        new MessageStopEvent { StopReason = stopReason ?? StopReason.EndTurn },
        Metadata(usage),
    ];

    /// <summary>A turn that calls one tool with <paramref name="inputJson"/>.</summary>
    public static StreamEvent[] ToolTurn(string toolUseId, string name, string inputJson, TokenUsage? usage = null) =>
    [
        new MessageStartEvent(),
        new ContentBlockStartEvent { Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = toolUseId, Name = name } } },
        new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = inputJson } } },
        new ContentBlockStopEvent(),
        new MessageStopEvent { StopReason = StopReason.ToolUse },
        Metadata(usage),
    ];

    /// <summary>The metadata event that ends a turn.</summary>
    public static MetadataEvent Metadata(TokenUsage? usage) => new()
    {
        Usage = usage ?? new TokenUsage { InputTokens = 10, OutputTokens = 5, TotalTokens = 15 },
        Metrics = new ConverseMetrics { LatencyMs = 7 },
    };

    private sealed record Turn(IReadOnlyList<StreamEvent> Events, Exception? ThenThrow);
}
