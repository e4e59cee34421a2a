using Strands.Content;

namespace Strands.Conversation;

/// <summary>Questions the conversation managers and the agent ask about messages.</summary>
internal static class MessageInspection
{
    public static bool HasToolUse(this Message message)
    {
        foreach (var block in message.Content)
        {
            if (block.ToolUse is not null)
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasToolResult(this Message message)
    {
        foreach (var block in message.Content)
        {
            if (block.ToolResult is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when the history may start at <paramref name="index"/>: a user message that is not a tool result
    /// (Bedrock requires a conversation to start with a user turn, and a tool result needs its tool use).
    /// </summary>
    public static bool IsValidStart(IList<Message> messages, int index)
        => messages[index].Role == ConversationRole.User && !messages[index].HasToolResult();

    public static void RemoveRange(IList<Message> messages, int count)
    {
        if (messages is List<Message> list)
        {
            list.RemoveRange(0, count);
            return;
        }

        for (var i = 0; i < count; i++)
        {
            messages.RemoveAt(0);
        }
    }
}
