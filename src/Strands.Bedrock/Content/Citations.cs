namespace Strands.Content;

/// <summary>Generated text with the citations that support it.</summary>
public sealed record CitationsContentBlock
{
    /// <summary>The generated text blocks.</summary>
    public IReadOnlyList<CitationGeneratedContent>? Content { get; init; }

    /// <summary>The citations.</summary>
    public IReadOnlyList<Citation>? Citations { get; init; }
}

/// <summary>A generated text block. A union with the single member <see cref="Text"/>.</summary>
public sealed record CitationGeneratedContent
{
    /// <summary>The text.</summary>
    public string? Text { get; init; }
}

/// <summary>A citation of a source.</summary>
public sealed record Citation
{
    /// <summary>The title of the cited source.</summary>
    public string? Title { get; init; }

    /// <summary>The cited source.</summary>
    public string? Source { get; init; }

    /// <summary>The cited passages.</summary>
    public IReadOnlyList<CitationSourceContent>? SourceContent { get; init; }

    /// <summary>Where in the source the passage is.</summary>
    public CitationLocation? Location { get; init; }
}

/// <summary>A cited passage. A union with the single member <see cref="Text"/>.</summary>
public sealed record CitationSourceContent
{
    /// <summary>The passage text.</summary>
    public string? Text { get; init; }
}

/// <summary>Where a cited passage is. A union: a web page, or a position in a document or search result.</summary>
public sealed record CitationLocation
{
    /// <summary>A web page.</summary>
    public WebLocation? Web { get; init; }

    /// <summary>A character range of a document.</summary>
    public DocumentCharLocation? DocumentChar { get; init; }

    /// <summary>A page range of a document.</summary>
    public DocumentPageLocation? DocumentPage { get; init; }

    /// <summary>A chunk range of a document.</summary>
    public DocumentChunkLocation? DocumentChunk { get; init; }

    /// <summary>A range of a search result.</summary>
    public SearchResultLocation? SearchResultLocation { get; init; }
}

/// <summary>A web page.</summary>
public sealed record WebLocation
{
    /// <summary>The URL.</summary>
    public string? Url { get; init; }

    /// <summary>The domain.</summary>
    public string? Domain { get; init; }
}

/// <summary>A character range of a document.</summary>
public sealed record DocumentCharLocation
{
    /// <summary>The index of the document in the request.</summary>
    public int? DocumentIndex { get; init; }

    /// <summary>The first character.</summary>
    public int? Start { get; init; }

    /// <summary>The character after the last.</summary>
    public int? End { get; init; }
}

/// <summary>A page range of a document.</summary>
public sealed record DocumentPageLocation
{
    /// <summary>The index of the document in the request.</summary>
    public int? DocumentIndex { get; init; }

    /// <summary>The first page.</summary>
    public int? Start { get; init; }

    /// <summary>The page after the last.</summary>
    public int? End { get; init; }
}

/// <summary>A chunk range of a document.</summary>
public sealed record DocumentChunkLocation
{
    /// <summary>The index of the document in the request.</summary>
    public int? DocumentIndex { get; init; }

    /// <summary>The first chunk.</summary>
    public int? Start { get; init; }

    /// <summary>The chunk after the last.</summary>
    public int? End { get; init; }
}

/// <summary>A range of a search result.</summary>
public sealed record SearchResultLocation
{
    /// <summary>The index of the search result in the request.</summary>
    public int? SearchResultIndex { get; init; }

    /// <summary>The first block.</summary>
    public int? Start { get; init; }

    /// <summary>The block after the last.</summary>
    public int? End { get; init; }
}
