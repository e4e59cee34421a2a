using Strands.Agents;
using Strands.Content;
using Strands.Models;

namespace Strands.Conversation;

/// <summary>
/// Keeps the most recent <see cref="WindowSize"/> messages (40 by default). The kept window always starts with a
/// user message that is not a tool result, as Amazon Bedrock requires, so tool uses and their results stay together.
/// When no such message lies within reach (one prompt followed by a long chain of tool rounds), the history is left
/// whole: routine management waits for the next prompt, and a context window overflow is rethrown. On an overflow,
/// oversized tool results are truncated first (when <see cref="ShouldTruncateResults"/>), before any message is dropped.
/// </summary>
public sealed class SlidingWindowConversationManager : IConversationManager
{
    /// <summary>The marker that truncated tool result text contains.</summary>
    public const string TruncationMarker = "... [truncated:";

    private const int TruncationThreshold = 400;
    private const int KeptChars = 200;
    private int _removedMessageCount;

    /// <summary>Creates the manager.</summary>
    /// <param name="windowSize">The most messages to keep; 0 clears the history.</param>
    /// <param name="shouldTruncateResults">Whether to truncate oversized tool results on overflow before dropping messages.</param>
    public SlidingWindowConversationManager(int windowSize = 40, bool shouldTruncateResults = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowSize);
        WindowSize = windowSize;
        ShouldTruncateResults = shouldTruncateResults;
    }

    /// <summary>The most messages to keep.</summary>
    public int WindowSize { get; }

    /// <summary>Whether oversized tool results are truncated on overflow before messages are dropped.</summary>
    public bool ShouldTruncateResults { get; }

    /// <inheritdoc />
    public int RemovedMessageCount => Volatile.Read(ref _removedMessageCount);

    /// <inheritdoc />
    public ValueTask ApplyManagementAsync(Agent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return agent.Messages.Count <= WindowSize ? ValueTask.CompletedTask : ReduceContextAsync(agent, null, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ContextWindowOverflowException">An overflow was reported and nothing can be removed.</exception>
    public ValueTask ReduceContextAsync(Agent agent, Exception? exception = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var messages = agent.Messages;
        if (WindowSize == 0)
        {
            Interlocked.Add(ref _removedMessageCount, messages.Count);
            messages.Clear();
            return ValueTask.CompletedTask;
        }

        if (exception is not null && ShouldTruncateResults && TruncateOldestToolResult(messages))
        {
            return ValueTask.CompletedTask;
        }

        var trimIndex = messages.Count <= WindowSize ? 2 : messages.Count - WindowSize;
        while (trimIndex < messages.Count && !MessageInspection.IsValidStart(messages, trimIndex))
        {
            trimIndex++;
        }

        if (trimIndex >= messages.Count)
        {
            if (exception is not null)
            {
                throw new ContextWindowOverflowException("Unable to trim conversation context!", exception);
            }

            return ValueTask.CompletedTask;
        }

        MessageInspection.RemoveRange(messages, trimIndex);
        Interlocked.Add(ref _removedMessageCount, trimIndex);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Truncates the tool results of the oldest message that has something to truncate: text over 400 characters
    /// keeps its first and last 200, images become a placeholder. Returns false when nothing was truncated.
    /// </summary>
    private static bool TruncateOldestToolResult(IList<Message> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (!message.HasToolResult())
            {
                continue;
            }

            var changed = false;
            var content = new ContentBlock[message.Content.Count];
            for (var b = 0; b < content.Length; b++)
            {
                var block = message.Content[b];
                if (block.ToolResult is { } result && Truncate(result) is { } truncated)
                {
                    block = block with { ToolResult = truncated };
                    changed = true;
                }

                content[b] = block;
            }

            if (changed)
            {
                messages[i] = message with { Content = content };
                return true;
            }
        }

        return false;
    }

    private static ToolResultBlock? Truncate(ToolResultBlock result)
    {
        var changed = false;
        var content = new ToolResultContentBlock[result.Content.Count];
        for (var i = 0; i < content.Length; i++)
        {
            var item = result.Content[i];
            if (item.Text is { Length: > TruncationThreshold } text && !text.Contains(TruncationMarker, StringComparison.Ordinal))
            {
                var removed = text.Length - (2 * KeptChars);
                item = ToolResultContentBlock.FromText($"{text[..KeptChars]}...\n\n... [truncated: {removed} chars removed] ...\n\n...{text[^KeptChars..]}");
                changed = true;
            }
            else if (item.Image is { } image)
            {
                item = ToolResultContentBlock.FromText($"[image: {image.Format}, {image.Source.Bytes?.Length ?? 0} bytes]");
                changed = true;
            }

            content[i] = item;
        }

        return changed ? result with { Content = content } : null;
    }
}
