namespace Strands.Sessions;

/// <summary>
/// Where sessions are stored: sessions, their agents, and each agent's messages. The counterpart of Strands for
/// Python's <c>SessionRepository</c>; <see cref="FileSessionRepository"/> and <see cref="S3SessionRepository"/> are
/// the built-in stores, and a store of your own is one class that implements these nine methods (use
/// <see cref="SessionJson"/> to turn the records into Python-compatible JSON).
/// </summary>
/// <remarks>
/// <para>The contract every store follows (the built-in ones pass one shared test suite):</para>
/// <list type="bullet">
/// <item>Ids are valid (<see cref="SessionIds"/>); a store rejects invalid ones with <see cref="ArgumentException"/>.</item>
/// <item>Reading something that does not exist returns null (an empty list for <see cref="ListMessagesAsync"/>).</item>
/// <item><see cref="CreateSessionAsync"/> and <see cref="CreateMessageAsync"/> never overwrite: when the session or
/// the message id exists they throw <see cref="SessionConflictException"/>, also when two writers race.</item>
/// <item><see cref="CreateAgentAsync"/> needs the session; the updates need the agent or message and keep its
/// <c>CreatedAt</c>; otherwise they throw <see cref="SessionException"/>.</item>
/// <item>A reader never sees a partly written object, and every failure of the store is a
/// <see cref="SessionException"/> whose inner exception is the cause.</item>
/// <item>Messages are listed in numeric order of their ids (2 before 10).</item>
/// </list>
/// </remarks>
public interface ISessionRepository
{
    /// <summary>Creates a session.</summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    /// <exception cref="SessionConflictException">The session exists.</exception>
    /// <exception cref="SessionException">The store failed.</exception>
    Task CreateSessionAsync(Session session, CancellationToken cancellationToken = default);

    /// <summary>Reads a session.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The session, or null when there is none with that id.</returns>
    /// <exception cref="SessionException">The store failed or the stored session is not valid.</exception>
    Task<Session?> ReadSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Stores a new agent in a session (replacing a stored agent with the same id).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="agent">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the agent is stored.</returns>
    /// <exception cref="SessionException">The session does not exist, or the store failed.</exception>
    Task CreateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default);

    /// <summary>Reads an agent.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="agentId">The agent id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The agent, or null when the session has no agent with that id.</returns>
    /// <exception cref="SessionException">The store failed or the stored agent is not valid.</exception>
    Task<SessionAgent?> ReadAgentAsync(string sessionId, string agentId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored agent, keeping its <see cref="SessionAgent.CreatedAt"/>.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="agent">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the agent is stored.</returns>
    /// <exception cref="SessionException">The agent does not exist, or the store failed.</exception>
    Task UpdateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default);

    /// <summary>Stores a new message of an agent.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="agentId">The agent id.</param>
    /// <param name="message">The message; its <see cref="SessionMessage.MessageId"/> is its position in the conversation.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the message is stored.</returns>
    /// <exception cref="SessionConflictException">A message with that id exists.</exception>
    /// <exception cref="SessionException">The store failed.</exception>
    Task CreateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default);

    /// <summary>Reads a message.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="agentId">The agent id.</param>
    /// <param name="messageId">The message id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message, or null when there is none with that id.</returns>
    /// <exception cref="SessionException">The store failed or the stored message is not valid.</exception>
    Task<SessionMessage?> ReadMessageAsync(string sessionId, string agentId, int messageId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored message (after a guardrail redacted it), keeping its <see cref="SessionMessage.CreatedAt"/>.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="agentId">The agent id.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the message is stored.</returns>
    /// <exception cref="SessionException">The message does not exist, or the store failed.</exception>
    Task UpdateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default);

    /// <summary>Lists an agent's messages in order of their ids, skipping <paramref name="offset"/> of them.</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="agentId">The agent id.</param>
    /// <param name="limit">The most messages to return; all when null.</param>
    /// <param name="offset">How many messages to skip first (by position in the ordered list).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The messages; empty when the agent has none or does not exist.</returns>
    /// <exception cref="SessionException">The store failed or a stored message is not valid.</exception>
    Task<IReadOnlyList<SessionMessage>> ListMessagesAsync(string sessionId, string agentId, int? limit = null, int offset = 0, CancellationToken cancellationToken = default);
}
