using Strands.Content;

namespace Strands.Agents;

/// <summary>
/// Turns what a caller passes to <see cref="Agent.InvokeAsync(string, CancellationToken)"/> and its overloads into
/// the input messages of an invocation, refusing before any request what Amazon Bedrock would reject: an empty or
/// whitespace prompt, an empty content list, a message without content, a blank text block.
/// </summary>
internal static class AgentInput
{
    public static Message[] FromPrompt(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (string.IsNullOrWhiteSpace(prompt))
        {
            throw new ArgumentException("The prompt is empty or whitespace; Amazon Bedrock rejects blank text. To run the loop on the history as it is, call the overload without a prompt.", nameof(prompt));
        }

        return [Message.User(prompt)];
    }

    public static Message[] FromContent(IReadOnlyList<ContentBlock> content)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Count == 0)
        {
            throw new ArgumentException("The content list is empty; a message needs at least one content block.", nameof(content));
        }

        CheckBlocks(content, nameof(content), "content");
        return [Message.User([.. content])];
    }

    public static Message[] FromMessages(IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("The message list is empty. To run the loop on the history as it is, call the overload without input.", nameof(messages));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"messages[{i}] is null.", nameof(messages));
            if (message.Content is not { Count: > 0 })
            {
                throw new ArgumentException($"messages[{i}] has no content; Amazon Bedrock rejects an empty message.", nameof(messages));
            }

            CheckBlocks(message.Content, nameof(messages), $"messages[{i}].content");
        }

        return [.. messages];
    }

    private static void CheckBlocks(IReadOnlyList<ContentBlock> content, string parameter, string path)
    {
        for (var b = 0; b < content.Count; b++)
        {
            if (content[b] is null)
            {
                throw new ArgumentException($"{path}[{b}] is null.", parameter);
            }

            if (content[b].Text is { } text && string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException($"{path}[{b}] is blank text; Amazon Bedrock rejects blank text blocks.", parameter);
            }
        }
    }
}
