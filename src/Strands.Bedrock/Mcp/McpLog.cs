using Microsoft.Extensions.Logging;

namespace Strands.Mcp;

/// <summary>The MCP tool provider's log messages. Tool arguments and results are never logged; the agent logs tool input at Trace.</summary>
internal static partial class McpLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Starting MCP server {Server}")]
    public static partial void Starting(ILogger logger, string server);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "MCP server {Server} is {ServerName} {ServerVersion}: {ToolCount} tools, {FilteredOut} left out by the filters")]
    public static partial void Started(ILogger logger, string server, string serverName, string serverVersion, int toolCount, int filteredOut);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "MCP tool {McpToolName} of {Server} is the agent tool {ToolName}")]
    public static partial void Renamed(ILogger logger, string mcpToolName, string server, string toolName);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "Stopping MCP server {Server}")]
    public static partial void Stopping(ILogger logger, string server);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Closing MCP server {Server} after a failed start failed too")]
    public static partial void CleanupFailed(ILogger logger, string server, Exception exception);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Calling MCP tool {McpToolName} of {Server} ({ToolUseId})")]
    public static partial void Calling(ILogger logger, string mcpToolName, string server, string toolUseId);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "MCP tool {McpToolName} of {Server} ({ToolUseId}) reported an error (isError)")]
    public static partial void ToolReportedError(ILogger logger, string mcpToolName, string server, string toolUseId);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "MCP tool {McpToolName} of {Server} ({ToolUseId}) did not answer within {Timeout}; the request was cancelled")]
    public static partial void CallTimedOut(ILogger logger, string mcpToolName, string server, string toolUseId, TimeSpan timeout);

    [LoggerMessage(EventId = 209, Level = LogLevel.Warning, Message = "MCP tool {McpToolName} of {Server} ({ToolUseId}) failed: {Reason}")]
    public static partial void CallFailed(ILogger logger, string mcpToolName, string server, string toolUseId, string reason);

    /// <summary>The exception of a failed call at Trace: its message may quote the server's standard error.</summary>
    [LoggerMessage(EventId = 210, Level = LogLevel.Trace, Message = "MCP tool {McpToolName} of {Server} ({ToolUseId}) failure details")]
    public static partial void CallFailureDetails(ILogger logger, string mcpToolName, string server, string toolUseId, Exception exception);

    [LoggerMessage(EventId = 211, Level = LogLevel.Debug, Message = "MCP tool {McpToolName} of {Server} ({ToolUseId}) cancelled with the invocation")]
    public static partial void CallCancelled(ILogger logger, string mcpToolName, string server, string toolUseId);
}
