using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;

namespace Strands.Mcp;

/// <summary>
/// An entry of <see cref="McpToolFilters"/>: an exact tool name, a regular expression, or a predicate, as in Strands
/// for Python. A string or a <see cref="Regex"/> converts implicitly, so filters read
/// <c>Allowed = ["echo", new Regex("^get_")]</c>.
/// </summary>
public sealed class McpToolMatcher
{
    private readonly string? _name;
    private readonly Regex? _pattern;
    private readonly Func<Tool, bool>? _predicate;

    private McpToolMatcher(string? name, Regex? pattern, Func<Tool, bool>? predicate)
    {
        _name = name;
        _pattern = pattern;
        _predicate = predicate;
    }

    /// <summary>Matches the tool with exactly this name (ordinal, case-sensitive).</summary>
    /// <param name="name">The server's name of the tool.</param>
    /// <returns>The matcher.</returns>
    public static McpToolMatcher FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new(name, null, null);
    }

    /// <summary>
    /// Matches the tools whose name the pattern matches at its start, as Python's <c>re.match</c> does: <c>get_</c>
    /// matches <c>get_weather</c> but not <c>forget_it</c>; end the pattern with <c>$</c> to match whole names.
    /// </summary>
    /// <param name="pattern">The pattern (not <see cref="RegexOptions.RightToLeft"/>).</param>
    /// <returns>The matcher.</returns>
    public static McpToolMatcher FromRegex(Regex pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if ((pattern.Options & RegexOptions.RightToLeft) != 0)
        {
            throw new ArgumentException("A tool name pattern must not be RightToLeft: it matches from the start of the name.", nameof(pattern));
        }

        return new(null, pattern, null);
    }

    /// <summary>Matches the tools for which the predicate is true.</summary>
    /// <param name="predicate">Receives the server's definition of the tool (its own name, description, annotations).</param>
    /// <returns>The matcher.</returns>
    public static McpToolMatcher FromPredicate(Func<Tool, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new(null, null, predicate);
    }

    /// <summary>Matches the tool with exactly this name; see <see cref="FromName"/>.</summary>
    /// <param name="name">The server's name of the tool.</param>
    public static implicit operator McpToolMatcher(string name) => FromName(name);

    /// <summary>Matches the tools whose name the pattern matches at its start; see <see cref="FromRegex"/>.</summary>
    /// <param name="pattern">The pattern.</param>
    public static implicit operator McpToolMatcher(Regex pattern) => FromRegex(pattern);

    /// <summary>Matches the tools for which the predicate is true; see <see cref="FromPredicate"/>.</summary>
    /// <param name="predicate">The predicate.</param>
    public static implicit operator McpToolMatcher(Func<Tool, bool> predicate) => FromPredicate(predicate);

    internal bool Matches(Tool tool)
    {
        if (_name is not null)
        {
            return string.Equals(_name, tool.Name, StringComparison.Ordinal);
        }

        if (_pattern is not null)
        {
            // The leftmost match starts at 0 whenever any match does.
            var match = _pattern.Match(tool.Name);
            return match.Success && match.Index == 0;
        }

        return _predicate!(tool);
    }

    /// <inheritdoc />
    public override string ToString() => _name ?? (_pattern is not null ? $"/{_pattern}/" : "predicate");
}
