using System.Collections.Concurrent;
using Strands.Sessions;

namespace Strands.Tests.Sessions;

/// <summary>
/// A store written the way a user writes one: a single class over a dictionary of JSON documents (made with
/// <see cref="SessionJson"/>). It passes the same contract suite as the built-in stores, and the property tests use it
/// because it is fast.
/// </summary>
public sealed class InMemorySessionRepository : ISessionRepository
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);

    /// <summary>The stored objects by key, as a store would hold them.</summary>
    public IReadOnlyDictionary<string, byte[]> Objects => _objects;

    public Task CreateSessionAsync(Session session, CancellationToken cancellationToken = default) =>
        _objects.TryAdd(SessionKey(session.SessionId), SessionJson.Serialize(session))
            ? Task.CompletedTask
            : throw new SessionConflictException($"Session {session.SessionId} already exists.");

    public Task<Session?> ReadSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_objects.TryGetValue(SessionKey(sessionId), out var json) ? SessionJson.DeserializeSession(json) : null);

    public Task CreateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default)
    {
        if (!_objects.ContainsKey(SessionKey(sessionId)))
        {
            throw new SessionException($"Session {sessionId} does not exist.");
        }

        _objects[AgentKey(sessionId, agent.AgentId)] = SessionJson.Serialize(agent);
        return Task.CompletedTask;
    }

    public Task<SessionAgent?> ReadAgentAsync(string sessionId, string agentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_objects.TryGetValue(AgentKey(sessionId, agentId), out var json) ? SessionJson.DeserializeAgent(json) : null);

    public async Task UpdateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default)
    {
        var previous = await ReadAgentAsync(sessionId, agent.AgentId, cancellationToken) ?? throw new SessionException($"Agent {agent.AgentId} does not exist.");
        _objects[AgentKey(sessionId, agent.AgentId)] = SessionJson.Serialize(agent with { CreatedAt = previous.CreatedAt });
    }

    public Task CreateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default) =>
        _objects.TryAdd(MessageKey(sessionId, agentId, message.MessageId), SessionJson.Serialize(message))
            ? Task.CompletedTask
            : throw new SessionConflictException($"Message {message.MessageId} already exists.");

    public Task<SessionMessage?> ReadMessageAsync(string sessionId, string agentId, int messageId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_objects.TryGetValue(MessageKey(sessionId, agentId, messageId), out var json) ? SessionJson.DeserializeMessage(json) : null);

    public async Task UpdateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default)
    {
        var previous = await ReadMessageAsync(sessionId, agentId, message.MessageId, cancellationToken) ?? throw new SessionException($"Message {message.MessageId} does not exist.");
        _objects[MessageKey(sessionId, agentId, message.MessageId)] = SessionJson.Serialize(message with { CreatedAt = previous.CreatedAt });
    }

    public Task<IReadOnlyList<SessionMessage>> ListMessagesAsync(string sessionId, string agentId, int? limit = null, int offset = 0, CancellationToken cancellationToken = default)
    {
        var prefix = AgentKey(sessionId, agentId) + "/message_";
        IReadOnlyList<SessionMessage> messages = [.. _objects
            .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(o => SessionJson.DeserializeMessage(o.Value))
            .OrderBy(m => m.MessageId)
            .Skip(offset)
            .Take(limit ?? int.MaxValue)];
        return Task.FromResult(messages);
    }

    private static string SessionKey(string sessionId) => "session_" + SessionIds.ValidateSessionId(sessionId);

    private static string AgentKey(string sessionId, string agentId) => SessionKey(sessionId) + "/agent_" + SessionIds.ValidateAgentId(agentId);

    private static string MessageKey(string sessionId, string agentId, int messageId) => AgentKey(sessionId, agentId) + "/message_" + SessionIds.ValidateMessageId(messageId);
}
