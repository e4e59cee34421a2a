namespace Strands.Content;

/// <summary>Content marked for a guardrail to assess. A union: text or an image.</summary>
public sealed record GuardrailConverseContentBlock
{
    /// <summary>Text to guard.</summary>
    public GuardrailConverseTextBlock? Text { get; init; }

    /// <summary>An image to guard.</summary>
    public GuardrailConverseImageBlock? Image { get; init; }
}

/// <summary>Text for a guardrail to assess.</summary>
public sealed record GuardrailConverseTextBlock
{
    /// <summary>The text.</summary>
    public string Text { get; init; } = "";

    /// <summary>How the guardrail treats the text.</summary>
    public IReadOnlyList<GuardrailConverseContentQualifier>? Qualifiers { get; init; }
}

/// <summary>An image for a guardrail to assess.</summary>
public sealed record GuardrailConverseImageBlock
{
    /// <summary>The image format (png or jpeg).</summary>
    public GuardrailConverseImageFormat Format { get; init; }

    /// <summary>The image bytes.</summary>
    public GuardrailConverseImageSource Source { get; init; } = new();
}

/// <summary>The bytes of a guarded image. A union with the single member <see cref="Bytes"/>.</summary>
public sealed record GuardrailConverseImageSource
{
    /// <summary>The raw bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; init; }
}
