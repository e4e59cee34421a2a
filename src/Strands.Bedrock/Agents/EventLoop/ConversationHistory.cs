using System.Text.Json;
using Strands.Bedrock.Json;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Sessions;
using Strands.Tools;

namespace Strands.Agents;

/// <summary>
/// The agent's conversation, and the only code that changes it while the agent runs. Every change keeps the history
/// one that Amazon Bedrock accepts: it starts with a user message, roles alternate, every tool use is answered in the
/// next message, and no appended message or text block is empty. Appends raise <see cref="MessageAddedEvent"/>;
/// in-place changes of the latest message raise <see cref="MessageReplacedEvent"/>.
/// </summary>
internal sealed class ConversationHistory(Agent agent, List<Message> messages)
{
    /// <summary>The text of a tool result the agent makes up for a tool use that was never run.</summary>
    public const string InterruptedToolText = "Tool was interrupted.";

    /// <summary>The text that replaces an empty or blank assistant message.</summary>
    private const string BlankTextPlaceholder = "[blank text]";

    /// <summary>The messages; the agent's <see cref="Agent.Messages"/>.</summary>
    public List<Message> Messages => messages;

    /// <summary>The latest message, or null.</summary>
    public Message? Latest => messages.Count == 0 ? null : messages[^1];

    /// <summary>The latest message when it is an assistant message whose tool uses have no results yet; otherwise null.</summary>
    public Message? PendingToolUses => Latest is { } latest && latest.Role == ConversationRole.Assistant && latest.HasToolUse() ? latest : null;

    /// <summary>A copy of the messages, for a model call.</summary>
    public Message[] Snapshot() => messages.ToArray();

    /// <summary>
    /// Appends a message and raises <see cref="MessageAddedEvent"/>. The message stays even if a hook throws — unless
    /// the agent's session store failed to store it (<see cref="SessionException"/>): then it is taken out again, so
    /// that the history and the store agree, and the exception is rethrown.
    /// </summary>
    public async Task AppendAsync(Message message, CancellationToken cancellationToken)
    {
        messages.Add(message);
        try
        {
            await agent.Hooks.InvokeAsync(new MessageAddedEvent(agent, message), cancellationToken).ConfigureAwait(false);
        }
        catch (SessionException) when (messages.Count > 0 && ReferenceEquals(messages[^1], message))
        {
            messages.RemoveAt(messages.Count - 1);
            throw;
        }
    }

    /// <summary>
    /// Replaces the latest message and raises <see cref="MessageReplacedEvent"/>; if the session store fails to
    /// store the change, the previous message is put back and the exception rethrown.
    /// </summary>
    public async Task ReplaceLatestAsync(Message message, MessageReplacement reason, CancellationToken cancellationToken)
    {
        var previous = messages[^1];
        messages[^1] = message;
        try
        {
            await agent.Hooks.InvokeAsync(new MessageReplacedEvent(agent, previous, message, reason), cancellationToken).ConfigureAwait(false);
        }
        catch (SessionException) when (messages.Count > 0 && ReferenceEquals(messages[^1], message))
        {
            messages[^1] = previous;
            throw;
        }
    }

    /// <summary>
    /// Adds an invocation's input. Tool uses left without results (a history given to the agent) are answered with
    /// "Tool was interrupted." in the first user message. When the first input message has the role of the latest
    /// message — typically a user message the model never answered, after a failed invocation or a loop a tool
    /// stopped — it joins that message, so roles keep alternating; input that repeats the end of that message exactly
    /// (a retry) is not added twice.
    /// </summary>
    public async Task AppendInputAsync(IReadOnlyList<Message> input, CancellationToken cancellationToken)
    {
        if (input.Count == 0)
        {
            return;
        }

        var first = input[0];
        var start = 0;
        if (PendingToolUses is { } pending)
        {
            var answers = InterruptedResults(pending);
            if (first.Role == ConversationRole.User)
            {
                first = first with { Content = [.. answers, .. first.Content] };
            }
            else
            {
                await AppendAsync(Message.User(answers), cancellationToken).ConfigureAwait(false);
            }
        }
        else if (Latest is { } latest && latest.Role == first.Role)
        {
            if (!EndsWith(latest.Content, first.Content))
            {
                await ReplaceLatestAsync(latest with { Content = [.. latest.Content, .. first.Content] }, MessageReplacement.Extended, cancellationToken).ConfigureAwait(false);
            }

            start = 1;
        }

        for (var i = start; i < input.Count; i++)
        {
            await AppendAsync(i == 0 ? first : input[i], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Puts the history back into a valid state after a failure: tool uses left without results (a hook threw after
    /// the assistant message was added) are answered with "Tool was interrupted.". Never throws. When the session store
    /// is what failed, the answer cannot be stored either, and the tool uses stay pending for the next invocation.
    /// </summary>
    public async Task RepairAfterFailureAsync()
    {
        if (PendingToolUses is not { } pending)
        {
            return;
        }

        try
        {
            await AppendAsync(Message.User(InterruptedResults(pending)), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Telemetry.AgentLog.FinishAfterFailureFailed(agent.Logger, ex);
        }
    }

    /// <summary>
    /// Applies a guardrail's input redaction to the latest user message: tool results keep their id and status with
    /// the redaction as content, other blocks are dropped; a message without tool results becomes the redaction.
    /// </summary>
    public Task RedactLatestUserMessageAsync(string redaction, CancellationToken cancellationToken)
    {
        if (Latest is not { } message || message.Role != ConversationRole.User)
        {
            return Task.CompletedTask;
        }

        List<ContentBlock> content = [];
        foreach (var block in message.Content)
        {
            if (block.ToolResult is { } toolResult)
            {
                content.Add(block with { ToolResult = toolResult with { Content = [ToolResultContentBlock.FromText(redaction)] } });
            }
        }

        return ReplaceLatestAsync(message with { Content = content.Count > 0 ? content : [ContentBlock.FromText(redaction)] }, MessageReplacement.Redacted, cancellationToken);
    }

    /// <summary>
    /// Before each model call, repairs assistant messages Bedrock would reject, which only a history given to the agent
    /// can hold: empty content and blank text become "[blank text]" (blank text beside tool uses is dropped), invalid
    /// tool names become "INVALID_TOOL_NAME". User messages are never changed.
    /// </summary>
    public void NormalizeForModel()
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == ConversationRole.Assistant && NeedsRepair(messages[i]))
            {
                messages[i] = Repair(messages[i]);
            }
        }
    }

    /// <summary>
    /// An assistant message as the model produced it, made fit for the history: no blank text, never empty, and tool
    /// names Bedrock accepts (an invalid one becomes "INVALID_TOOL_NAME"; the tool round reports it by its real name).
    /// </summary>
    public static Message FitForHistory(Message message) => NeedsRepair(message) ? Repair(message) : message;

    private static bool NeedsRepair(Message message)
    {
        if (message.Content.Count == 0)
        {
            return true;
        }

        foreach (var block in message.Content)
        {
            if ((block.Text is { } text && string.IsNullOrWhiteSpace(text)) || (block.ToolUse is { } toolUse && !ToolNames.IsValid(toolUse.Name)))
            {
                return true;
            }
        }

        return false;
    }

    private static Message Repair(Message message)
    {
        var hasToolUse = message.HasToolUse();
        var repaired = new List<ContentBlock>(message.Content.Count);
        foreach (var block in message.Content)
        {
            if (block.Text is { } text && string.IsNullOrWhiteSpace(text))
            {
                if (!hasToolUse)
                {
                    repaired.Add(ContentBlock.FromText(BlankTextPlaceholder));
                }
            }
            else if (block.ToolUse is { } toolUse && !ToolNames.IsValid(toolUse.Name))
            {
                repaired.Add(block with { ToolUse = toolUse with { Name = "INVALID_TOOL_NAME" } });
            }
            else
            {
                repaired.Add(block);
            }
        }

        if (repaired.Count == 0)
        {
            repaired.Add(ContentBlock.FromText(BlankTextPlaceholder));
        }

        return message with { Content = repaired };
    }

    private static ContentBlock[] InterruptedResults(Message toolUses)
    {
        var answers = new List<ContentBlock>();
        foreach (var block in toolUses.Content)
        {
            if (block.ToolUse is { } toolUse)
            {
                answers.Add(new ContentBlock { ToolResult = ToolResults.Create(ToolResultStatus.Error, InterruptedToolText, toolUse.ToolUseId) });
            }
        }

        return [.. answers];
    }

    /// <summary>Whether <paramref name="content"/> ends with <paramref name="suffix"/>, block by block as JSON.</summary>
    private static bool EndsWith(IReadOnlyList<ContentBlock> content, IReadOnlyList<ContentBlock> suffix)
    {
        if (suffix.Count == 0 || suffix.Count > content.Count)
        {
            return false;
        }

        var offset = content.Count - suffix.Count;
        for (var i = 0; i < suffix.Count; i++)
        {
            if (!ReferenceEquals(content[offset + i], suffix[i])
                && !JsonSerializer.SerializeToUtf8Bytes(content[offset + i], BedrockJsonContext.Default.ContentBlock).AsSpan()
                    .SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(suffix[i], BedrockJsonContext.Default.ContentBlock)))
            {
                return false;
            }
        }

        return true;
    }
}
