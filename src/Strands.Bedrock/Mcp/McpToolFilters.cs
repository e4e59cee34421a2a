namespace Strands.Mcp;

/// <summary>
/// Which tools of an MCP server an <see cref="McpToolProvider"/> uses, as <c>tool_filters</c> in Strands for Python:
/// when <see cref="Allowed"/> is set only the tools that match one of its entries are kept, then the tools that match
/// an entry of <see cref="Rejected"/> are left out. Entries match the server's own tool names, before any prefix.
/// </summary>
/// <example>
/// <code>
/// new McpToolFilters { Allowed = ["echo", new Regex("^get_")], Rejected = ["get_secret"] }
/// </code>
/// </example>
public sealed record McpToolFilters
{
    /// <summary>The tools to keep; null keeps every tool, an empty list none.</summary>
    public IReadOnlyList<McpToolMatcher>? Allowed { get; init; }

    /// <summary>The tools to leave out; null or empty leaves none out.</summary>
    public IReadOnlyList<McpToolMatcher>? Rejected { get; init; }

    internal bool Includes(ModelContextProtocol.Protocol.Tool tool)
    {
        if (Allowed is { } allowed && !MatchesAny(allowed, tool))
        {
            return false;
        }

        return Rejected is not { } rejected || !MatchesAny(rejected, tool);
    }

    private static bool MatchesAny(IReadOnlyList<McpToolMatcher> matchers, ModelContextProtocol.Protocol.Tool tool)
    {
        foreach (var matcher in matchers)
        {
            if (matcher.Matches(tool))
            {
                return true;
            }
        }

        return false;
    }
}
