using System.Text.Json.Serialization;

namespace Strands.Content;

/// <summary>An object in Amazon S3.</summary>
public sealed record S3Location
{
    /// <summary>The object's URI, <c>s3://bucket/key</c>.</summary>
    public string Uri { get; init; } = "";

    /// <summary>The 12-digit account id of the bucket owner, when the bucket is in another account.</summary>
    public string? BucketOwner { get; init; }
}

/// <summary>An error the service reports about a content block.</summary>
public sealed record ErrorBlock
{
    /// <summary>The error message.</summary>
    public string? Message { get; init; }
}

/// <summary>An image.</summary>
public sealed record ImageBlock
{
    /// <summary>The image format.</summary>
    public ImageFormat Format { get; init; }

    /// <summary>Where the image bytes are.</summary>
    public ImageSource Source { get; init; } = new();

    /// <summary>An error about the image (responses only).</summary>
    public ErrorBlock? Error { get; init; }
}

/// <summary>Where an image is. A union: bytes or an S3 location.</summary>
public sealed record ImageSource
{
    /// <summary>The raw bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>An S3 object.</summary>
    public S3Location? S3Location { get; init; }
}

/// <summary>A document.</summary>
public sealed record DocumentBlock
{
    /// <summary>The document format (the service assumes <c>txt</c> when unset).</summary>
    public DocumentFormat? Format { get; init; }

    /// <summary>A neutral name for the document (1–200 characters).</summary>
    public string Name { get; init; } = "";

    /// <summary>Where the document content is.</summary>
    public DocumentSource Source { get; init; } = new();

    /// <summary>Context about the document for the model.</summary>
    public string? Context { get; init; }

    /// <summary>Whether the model may cite the document.</summary>
    public CitationsConfig? Citations { get; init; }
}

/// <summary>Where a document is. A union: bytes, an S3 location, text, or text blocks.</summary>
public sealed record DocumentSource
{
    /// <summary>The raw bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>An S3 object.</summary>
    public S3Location? S3Location { get; init; }

    /// <summary>Plain text.</summary>
    public string? Text { get; init; }

    /// <summary>Structured text blocks.</summary>
    public IReadOnlyList<DocumentContentBlock>? Content { get; init; }
}

/// <summary>One block of a structured document. A union with a single member.</summary>
public sealed record DocumentContentBlock
{
    /// <summary>Text.</summary>
    public string? Text { get; init; }
}

/// <summary>Whether citations are enabled for a source.</summary>
public sealed record CitationsConfig
{
    /// <summary>True to let the model cite the source.</summary>
    public bool Enabled { get; init; }
}

/// <summary>A video.</summary>
public sealed record VideoBlock
{
    /// <summary>The video format.</summary>
    public VideoFormat Format { get; init; }

    /// <summary>Where the video is.</summary>
    public VideoSource Source { get; init; } = new();
}

/// <summary>Where a video is. A union: bytes or an S3 location.</summary>
public sealed record VideoSource
{
    /// <summary>The raw bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>An S3 object.</summary>
    public S3Location? S3Location { get; init; }
}

/// <summary>An audio clip.</summary>
public sealed record AudioBlock
{
    /// <summary>The audio format.</summary>
    public AudioFormat Format { get; init; }

    /// <summary>Where the audio is.</summary>
    public AudioSource Source { get; init; } = new();

    /// <summary>An error about the audio (responses only).</summary>
    public ErrorBlock? Error { get; init; }
}

/// <summary>Where an audio clip is. A union: bytes or an S3 location.</summary>
public sealed record AudioSource
{
    /// <summary>The raw bytes (base64 on the wire).</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>An S3 object.</summary>
    public S3Location? S3Location { get; init; }
}

/// <summary>A search result given to the model as a citable source.</summary>
public sealed record SearchResultBlock
{
    /// <summary>Where the result came from (e.g. a URL).</summary>
    public string Source { get; init; } = "";

    /// <summary>The result's title.</summary>
    public string Title { get; init; } = "";

    /// <summary>The result's text blocks.</summary>
    public IReadOnlyList<SearchResultContentBlock> Content { get; init; } = [];

    /// <summary>Whether the model may cite the result.</summary>
    public CitationsConfig? Citations { get; init; }
}

/// <summary>One text block of a search result.</summary>
public sealed record SearchResultContentBlock
{
    /// <summary>The text.</summary>
    public string Text { get; init; } = "";
}
