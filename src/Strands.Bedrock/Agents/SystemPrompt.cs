using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Strands.Content;

namespace Strands.Agents;

/// <summary>
/// A system prompt: text, or system content blocks (for example text followed by a cache point). Converts implicitly
/// from a string, and a collection expression of <see cref="SystemContentBlock"/>s makes one:
/// <c>systemPrompt: [SystemContentBlock.FromText("…"), SystemContentBlock.CachePointDefault]</c>.
/// </summary>
[CollectionBuilder(typeof(SystemPrompt), nameof(Create))]
public sealed class SystemPrompt : IReadOnlyList<SystemContentBlock>
{
    private readonly SystemContentBlock[] _blocks;

    /// <summary>A system prompt of one text block.</summary>
    /// <param name="text">The text.</param>
    public SystemPrompt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _blocks = [SystemContentBlock.FromText(text)];
        Text = text;
    }

    /// <summary>A system prompt of content blocks.</summary>
    /// <param name="blocks">The blocks, in order.</param>
    public SystemPrompt(IEnumerable<SystemContentBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        _blocks = [.. blocks];
        var texts = _blocks.Where(b => b.Text is not null).Select(b => b.Text!).ToArray();
        Text = texts.Length == 0 ? null : string.Join('\n', texts);
    }

    /// <summary>The text blocks joined with newlines; null when there is no text block.</summary>
    public string? Text { get; }

    /// <inheritdoc />
    public int Count => _blocks.Length;

    /// <inheritdoc />
    public SystemContentBlock this[int index] => _blocks[index];

    /// <summary>Makes a system prompt of one text block; null stays null.</summary>
    /// <param name="text">The text.</param>
    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator SystemPrompt?(string? text) => text is null ? null : new SystemPrompt(text);

    /// <summary>Makes a system prompt of one text block.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The system prompt.</returns>
    public static SystemPrompt FromString(string text) => new(text);

    /// <summary>Makes a system prompt of content blocks (used by collection expressions).</summary>
    /// <param name="blocks">The blocks.</param>
    /// <returns>The system prompt.</returns>
    public static SystemPrompt Create(ReadOnlySpan<SystemContentBlock> blocks) => new(blocks.ToArray());

    /// <inheritdoc />
    public IEnumerator<SystemContentBlock> GetEnumerator() => ((IEnumerable<SystemContentBlock>)_blocks).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The text of the prompt (<see cref="Text"/>), or an empty string.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Text ?? "";
}
