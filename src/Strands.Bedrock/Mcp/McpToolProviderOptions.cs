using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace Strands.Mcp;

/// <summary>How an <see cref="McpToolProvider"/> names, filters and calls the tools of its MCP server.</summary>
public sealed record McpToolProviderOptions
{
    /// <summary>The default of <see cref="StartupTimeout"/>: 30 seconds, as in Strands for Python.</summary>
    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The default of <see cref="CallTimeout"/>: 60 seconds, the MCP TypeScript SDK's default request timeout.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A prefix for the tool names, joined with <c>_</c>: with prefix <c>github</c>, the server's <c>create_issue</c>
    /// becomes <c>github_create_issue</c>. Keeps the tools of two servers apart when their names clash. Letters,
    /// digits, <c>_</c> and <c>-</c> only; null or empty for none.
    /// </summary>
    public string? Prefix { get; init; }

    /// <summary>Which of the server's tools to use; null for all.</summary>
    public McpToolFilters? ToolFilters { get; init; }

    /// <summary>
    /// How long starting may take: launching or connecting, the MCP handshake and listing the tools. Past it the
    /// acquisition fails with <see cref="McpToolProviderException"/>. <see cref="Timeout.InfiniteTimeSpan"/> for no limit.
    /// </summary>
    public TimeSpan StartupTimeout { get; init; } = DefaultStartupTimeout;

    /// <summary>
    /// How long one tool call may take. Past it the request is cancelled on the server and the model receives an
    /// error result for that tool use. <see cref="Timeout.InfiniteTimeSpan"/> for no limit.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>The MCP client's options (client name, capabilities, handlers); the SDK's defaults when null.</summary>
    public McpClientOptions? ClientOptions { get; init; }

    /// <summary>Logs of the provider and of the MCP SDK's client and transport; none when null.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
