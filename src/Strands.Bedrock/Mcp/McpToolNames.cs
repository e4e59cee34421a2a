using System.Text;
using Strands.Tools;

namespace Strands.Mcp;

/// <summary>
/// The names MCP tools get as agent tools. MCP allows names Bedrock rejects (<c>github.create_issue</c>, longer than
/// 64 characters), so: the prefix is joined with <c>_</c> (as in Strands for Python), every character outside
/// <c>[a-zA-Z0-9_-]</c> becomes <c>_</c>, and a name still not valid (too long) is an error, as is a clash.
/// </summary>
internal static class McpToolNames
{
    /// <summary>Whether a prefix can start tool names: letters, digits, '_' and '-' only.</summary>
    public static void ValidatePrefix(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return;
        }

        if (prefix.Length >= ToolNames.MaxLength || !ToolNames.IsValid(prefix))
        {
            throw new ArgumentException(
                $"Invalid MCP tool name prefix '{prefix}': it must match ^[a-zA-Z0-9_-]+$ and leave room for the tool name within {ToolNames.MaxLength} characters.",
                nameof(prefix));
        }
    }

    /// <summary>The agent's name of a server's tool: the prefixed name with characters Bedrock rejects replaced by '_'.</summary>
    /// <exception cref="McpToolProviderException">The name is longer than Bedrock allows.</exception>
    public static string ToAgentName(string mcpName, string? prefix, string server)
    {
        var joined = string.IsNullOrEmpty(prefix) ? mcpName : $"{prefix}_{mcpName}";
        var builder = new StringBuilder(joined.Length);
        foreach (var c in joined)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        var name = builder.ToString();
        if (!ToolNames.IsValid(name))
        {
            throw new McpToolProviderException(
                $"The tool '{mcpName}' of MCP server '{server}' would be named '{name}' ({name.Length} characters), but Bedrock allows tool names of 1 to {ToolNames.MaxLength} characters. "
                + "Use a shorter prefix, or leave the tool out with McpToolProviderOptions.ToolFilters.Rejected.");
        }

        return name;
    }
}
