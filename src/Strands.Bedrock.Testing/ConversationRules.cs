using System.Text;
using System.Text.RegularExpressions;
using Strands.Content;

namespace Strands.Bedrock.Testing;

/// <summary>
/// The rules Amazon Bedrock enforces on the <c>messages</c> of a Converse or ConverseStream request, with the
/// <c>ValidationException</c> message the service answers for each. <see cref="FakeBedrockServer"/> and
/// <see cref="FakeBedrockHandler"/> apply them to every request (unless
/// <see cref="FakeBedrockServerOptions.ValidateRequests"/> is off); a test can apply them to any history, e.g. an
/// agent's <c>Messages</c> after an invocation.
/// </summary>
/// <remarks>
/// The rules, checked message by message in order: a message has content; no text block is blank (empty or
/// whitespace); tool use ids and names match the service's patterns; the first message is from the user; roles alternate; every <c>toolUse</c> of an assistant message is
/// answered by a <c>toolResult</c> with its id in the next message, and that message has no other
/// <c>toolResult</c>; a user message with a document also has a text block.
/// </remarks>
public static partial class ConversationRules
{
    private const string ToolUseIdPattern = "^[a-zA-Z0-9_.:-]+$";
    private const string ToolNamePattern = "^[a-zA-Z0-9_-]+$";

    /// <summary>Finds the first rule the messages break.</summary>
    /// <param name="messages">The messages, as a request would send them.</param>
    /// <returns>The service's <c>ValidationException</c> message for the first broken rule; null when Bedrock accepts the messages.</returns>
    public static string? FindViolation(IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            if (CheckMessage(messages, i) is { } violation)
            {
                return violation;
            }
        }

        return null;
    }

    /// <summary>Throws when the messages break a rule; for assertions in tests.</summary>
    /// <param name="messages">The messages.</param>
    /// <exception cref="InvalidOperationException">A rule is broken; the message is the service's.</exception>
    public static void Validate(IReadOnlyList<Message> messages)
    {
        if (FindViolation(messages) is { } violation)
        {
            throw new InvalidOperationException($"Amazon Bedrock would reject this conversation: {violation}");
        }
    }

    private static string? CheckMessage(IReadOnlyList<Message> messages, int index)
    {
        var message = messages[index];
        if (message.Content is not { Count: > 0 } content)
        {
            return $"The content field in the Message object at messages.{index} is empty. Add a ContentBlock object to the content field and try again.";
        }

        for (var b = 0; b < content.Count; b++)
        {
            if (content[b].Text is { } text && string.IsNullOrWhiteSpace(text))
            {
                return $"The text field in the ContentBlock object at messages.{index}.content.{b} is blank. Add text to the text field, and try again.";
            }

            var member = content[b].ToolUse is not null ? "toolUse" : "toolResult";
            var id = content[b].ToolUse?.ToolUseId ?? content[b].ToolResult?.ToolUseId;
            if (id is not null && Constraint(id, ToolUseId(), ToolUseIdPattern, $"messages.{index}.member.content.{b}.member.{member}.toolUseId") is { } badId)
            {
                return badId;
            }

            if (content[b].ToolUse?.Name is { } name && Constraint(name, ToolName(), ToolNamePattern, $"messages.{index}.member.content.{b}.member.toolUse.name") is { } badName)
            {
                return badName;
            }
        }

        if (index == 0 && message.Role != ConversationRole.User)
        {
            return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
        }

        if (index > 0 && message.Role == messages[index - 1].Role)
        {
            return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";
        }

        if (message.Role == ConversationRole.User && content.Any(c => c.Document is not null) && !content.Any(c => c.Text is not null))
        {
            return "A text block must be included when using documents.";
        }

        return CheckToolPairing(messages, index);
    }

    /// <summary>The tool uses of an assistant message must all be answered in the next message, and nothing else answered there.</summary>
    private static string? CheckToolPairing(IReadOnlyList<Message> messages, int index)
    {
        var message = messages[index];
        if (message.Role == ConversationRole.User)
        {
            var results = message.Content.Where(c => c.ToolResult is not null).Select(c => c.ToolResult!.ToolUseId).ToList();
            var uses = index > 0 ? ToolUseIds(messages[index - 1]) : [];
            if (results.Count > uses.Count)
            {
                return $"The number of toolResult blocks at messages.{index}.content exceeds the number of toolUse blocks of previous turn.";
            }

            // Results with ids of no tool use of the previous turn leave some tool uses unanswered: reported as such below.
            return null;
        }

        var toolUses = ToolUseIds(message);
        if (toolUses.Count == 0)
        {
            return null;
        }

        var next = index + 1 < messages.Count ? messages[index + 1] : null;
        var answered = next is null || next.Role != ConversationRole.User
            ? []
            : next.Content.Where(c => c.ToolResult is not null).Select(c => c.ToolResult!.ToolUseId).ToHashSet(StringComparer.Ordinal);
        var missing = toolUses.Where(id => !answered.Contains(id)).ToList();
        return missing.Count == 0
            ? null
            : $"Expected toolResult blocks at messages.{index + 1}.content for the following Ids: {string.Join(", ", missing)}";
    }

    /// <summary>The service's standard constraint message for a 1–64 character string with a pattern.</summary>
    private static string? Constraint(string value, Regex pattern, string patternText, string path) => value.Length is 0 or > 64
        ? $"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must have length between 1 and 64"
        : pattern.IsMatch(value)
            ? null
            : $"1 validation error detected: Value '{value}' at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {patternText}";

    private static List<string> ToolUseIds(Message message)
    {
        var ids = new List<string>();
        foreach (var block in message.Content)
        {
            if (block.ToolUse is { } toolUse)
            {
                ids.Add(toolUse.ToolUseId);
            }
        }

        return ids;
    }

    /// <summary>Describes a conversation by roles and block kinds, e.g. <c>user[text] assistant[toolUse:t1]</c>, for test failure messages.</summary>
    /// <param name="messages">The messages.</param>
    /// <returns>One line.</returns>
    public static string Describe(IReadOnlyList<Message> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var builder = new StringBuilder();
        foreach (var message in messages)
        {
            builder.Append(builder.Length == 0 ? string.Empty : " ").Append(message.Role.Value).Append('[');
            builder.AppendJoin(',', message.Content.Select(DescribeBlock));
            builder.Append(']');
        }

        return builder.ToString();
    }

    private static string DescribeBlock(ContentBlock block) => block switch
    {
        { Text: { } text } => string.IsNullOrWhiteSpace(text) ? "blank" : "text",
        { ToolUse: { } toolUse } => $"toolUse:{toolUse.ToolUseId}",
        { ToolResult: { } toolResult } => $"toolResult:{toolResult.ToolUseId}",
        { ReasoningContent: not null } => "reasoning",
        { Image: not null } => "image",
        { Document: not null } => "document",
        { CachePoint: not null } => "cachePoint",
        { GuardContent: not null } => "guardContent",
        { CitationsContent: not null } => "citations",
        _ => "other",
    };

    [GeneratedRegex(ToolUseIdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex ToolUseId();

    [GeneratedRegex(ToolNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ToolName();
}
