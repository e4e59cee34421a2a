namespace Strands.Content;

/// <summary>The model's reasoning. A union: reasoning text, or reasoning the service encrypted.</summary>
public sealed record ReasoningContentBlock
{
    /// <summary>Reasoning text with its signature.</summary>
    public ReasoningTextBlock? ReasoningText { get; init; }

    /// <summary>Encrypted reasoning, to be sent back unchanged.</summary>
    public byte[]? RedactedContent { get; init; }
}

/// <summary>Reasoning text and the signature that proves it came from the model.</summary>
public sealed record ReasoningTextBlock
{
    /// <summary>The reasoning text.</summary>
    public string Text { get; init; } = "";

    /// <summary>The signature; must be sent back unchanged in later turns.</summary>
    public string? Signature { get; init; }
}
