using Microsoft.Extensions.Logging;
using Strands.Content;

namespace Strands.Telemetry;

/// <summary>The agent's log messages. Prompt, answer and tool content are logged only at Trace.</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Agent {AgentName} ({AgentId}) invocation started with {MessageCount} messages in history")]
    public static partial void InvocationStarted(ILogger logger, string agentName, string agentId, int messageCount);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Agent {AgentName} ({AgentId}) invocation finished with stop reason {StopReason}")]
    public static partial void InvocationFinished(ILogger logger, string agentName, string agentId, string stopReason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "Calling model {ModelId} with {MessageCount} messages and {ToolCount} tools")]
    public static partial void CallingModel(ILogger logger, string modelId, int messageCount, int toolCount);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "The model stopped with end_turn but its message has tool uses; treating the stop reason as tool_use")]
    public static partial void EndTurnWithToolUse(ILogger logger);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Model call throttled; retrying after {Delay}")]
    public static partial void Throttled(ILogger logger, TimeSpan delay);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Context window overflow; reducing the conversation with {ConversationManager}")]
    public static partial void ContextOverflow(ILogger logger, string conversationManager);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "The model reached its max_tokens limit")]
    public static partial void MaxTokensReached(ILogger logger);

    [LoggerMessage(EventId = 107, Level = LogLevel.Debug, Message = "Running tool {ToolName} ({ToolUseId})")]
    public static partial void ToolStarted(ILogger logger, string toolName, string toolUseId);

    /// <summary>Logs a tool's input at Trace (it may hold user content).</summary>
    public static void ToolInput(ILogger logger, ToolUseBlock toolUse)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
            var input = toolUse.Input.GetRawText();
            ToolInputCore(logger, toolUse.Name, toolUse.ToolUseId, input);
        }
    }

    [LoggerMessage(EventId = 108, Level = LogLevel.Trace, Message = "Tool {ToolName} ({ToolUseId}) input: {Input}")]
    private static partial void ToolInputCore(ILogger logger, string toolName, string toolUseId, string input);

    [LoggerMessage(EventId = 109, Level = LogLevel.Warning, Message = "Tool {ToolName} ({ToolUseId}) failed")]
    public static partial void ToolFailed(ILogger logger, string toolName, string toolUseId, Exception exception);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "The model asked for unknown tool {ToolName} ({ToolUseId})")]
    public static partial void UnknownTool(ILogger logger, string toolName, string toolUseId);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "Agent {AgentName} ({AgentId}) invocation cancelled")]
    public static partial void InvocationCancelled(ILogger logger, string agentName, string agentId);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Finishing a failed invocation failed too; the original exception is rethrown")]
    public static partial void FinishAfterFailureFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "The model asked for a tool with an invalid name ({ToolUseId})")]
    public static partial void InvalidToolName(ILogger logger, string toolUseId);
}
