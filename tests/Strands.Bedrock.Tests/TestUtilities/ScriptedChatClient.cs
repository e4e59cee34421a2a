using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Strands.Tests.TestUtilities;

/// <summary>What a <see cref="ScriptedChatClient"/> was called with.</summary>
public sealed record ChatCall(List<ChatMessage> Messages, ChatOptions? Options, bool Streaming);

/// <summary>
/// A scripted <see cref="IChatClient"/> standing in for any Microsoft.Extensions.AI provider: each call plays the next
/// queued list of updates (streaming) or their merged response (non-streaming), and is recorded.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly ConcurrentQueue<ChatResponseUpdate[]> _turns = new();

    public ChatClientMetadata Metadata { get; init; } = new("test-provider", new Uri("http://127.0.0.1:11434"), "test-model");

    public ConcurrentQueue<ChatCall> Calls { get; } = new();

    public ScriptedChatClient Then(params ChatResponseUpdate[] updates)
    {
        _turns.Enqueue(updates);
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(new ChatCall([.. messages], options, Streaming: false));
        return Task.FromResult(Next().ToChatResponse());
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Calls.Enqueue(new ChatCall([.. messages], options, Streaming: true));
        foreach (var update in Next())
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;

    public void Dispose()
    {
    }

    private ChatResponseUpdate[] Next()
        => _turns.TryDequeue(out var turn) ? turn : throw new InvalidOperationException("No scripted chat turn left.");

    // ---- update builders

    public static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text) { MessageId = "m" };

    public static ChatResponseUpdate Call(string callId, string name, Dictionary<string, object?> arguments)
        => new(ChatRole.Assistant, [new FunctionCallContent(callId, name, arguments)]) { MessageId = "m" };

    public static ChatResponseUpdate Finish(ChatFinishReason reason, long input = 12, long output = 3, long? cached = null)
        => new(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output, CachedInputTokenCount = cached })])
        {
            MessageId = "m",
            FinishReason = reason,
        };
}
