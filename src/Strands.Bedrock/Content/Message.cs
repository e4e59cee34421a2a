namespace Strands.Content;

/// <summary>One turn of a conversation: a role and its content blocks.</summary>
public sealed record Message
{
    /// <summary>Who wrote the message.</summary>
    public ConversationRole Role { get; init; }

    /// <summary>The content of the message, in order.</summary>
    public IReadOnlyList<ContentBlock> Content { get; init; } = [];

    /// <summary>Creates a user message with one text block.</summary>
    /// <param name="text">The text.</param>
    public static Message User(string text) => new() { Role = ConversationRole.User, Content = [ContentBlock.FromText(text)] };

    /// <summary>Creates a user message from content blocks.</summary>
    /// <param name="content">The blocks.</param>
    public static Message User(params IReadOnlyList<ContentBlock> content) => new() { Role = ConversationRole.User, Content = content };

    /// <summary>Creates an assistant message with one text block.</summary>
    /// <param name="text">The text.</param>
    public static Message Assistant(string text) => new() { Role = ConversationRole.Assistant, Content = [ContentBlock.FromText(text)] };

    /// <summary>Creates an assistant message from content blocks.</summary>
    /// <param name="content">The blocks.</param>
    public static Message Assistant(params IReadOnlyList<ContentBlock> content) => new() { Role = ConversationRole.Assistant, Content = content };
}
