using Microsoft.Extensions.Logging;

namespace Strands.Sessions;

/// <summary>The session manager's log messages: ids and counts only, never message content or credentials.</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "Session {SessionId} not found; creating it")]
    public static partial void CreatingSession(ILogger logger, string sessionId);

    [LoggerMessage(EventId = 601, Level = LogLevel.Debug, Message = "Agent {AgentId} is new in session {SessionId}; storing it with {MessageCount} messages")]
    public static partial void CreatingAgent(ILogger logger, string agentId, string sessionId, int messageCount);

    [LoggerMessage(EventId = 602, Level = LogLevel.Debug, Message = "Restored agent {AgentId} of session {SessionId}: {MessageCount} messages from message {Offset}")]
    public static partial void RestoredAgent(ILogger logger, string agentId, string sessionId, int messageCount, int offset);

    [LoggerMessage(EventId = 603, Level = LogLevel.Trace, Message = "Stored message {MessageId} of agent {AgentId} in session {SessionId}")]
    public static partial void StoredMessage(ILogger logger, int messageId, string agentId, string sessionId);

    [LoggerMessage(EventId = 604, Level = LogLevel.Trace, Message = "Agent {AgentId} of session {SessionId} unchanged; not syncing")]
    public static partial void SyncSkipped(ILogger logger, string agentId, string sessionId);

    [LoggerMessage(EventId = 605, Level = LogLevel.Debug, Message = "Synced agent {AgentId} of session {SessionId}")]
    public static partial void Synced(ILogger logger, string agentId, string sessionId);

    [LoggerMessage(EventId = 606, Level = LogLevel.Debug, Message = "Stored the guardrail redaction of message {MessageId} of agent {AgentId} in session {SessionId}")]
    public static partial void Redacted(ILogger logger, int messageId, string agentId, string sessionId);

    [LoggerMessage(EventId = 610, Level = LogLevel.Debug, Message = "Stored the extended message {MessageId} of agent {AgentId} in session {SessionId}")]
    public static partial void Replaced(ILogger logger, int messageId, string agentId, string sessionId);

    [LoggerMessage(EventId = 607, Level = LogLevel.Warning, Message = "The restored history of agent {AgentId} in session {SessionId} starts with tool results whose tool uses are not restored; dropping that message")]
    public static partial void DroppedOrphanedToolResult(ILogger logger, string agentId, string sessionId);

    [LoggerMessage(EventId = 608, Level = LogLevel.Warning, Message = "The restored history of agent {AgentId} in session {SessionId} has {Count} tool uses without results; adding \"Tool was interrupted.\" results")]
    public static partial void AddedMissingToolResults(ILogger logger, string agentId, string sessionId, int count);

    [LoggerMessage(EventId = 609, Level = LogLevel.Debug, Message = "Message {MessageId} of agent {AgentId} in session {SessionId} was already stored with the same content; treating the write as done")]
    public static partial void IdempotentWrite(ILogger logger, int messageId, string agentId, string sessionId);
}
