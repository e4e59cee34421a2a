using Strands.Sessions;

namespace Strands.Tests.Sessions;

/// <summary>A store that fails or loses responses on demand, and counts agent updates.</summary>
internal sealed class FlakyRepository(ISessionRepository inner) : ISessionRepository
{
    public Exception? FailNextCreateMessage { get; set; }

    /// <summary>Fails the create of the message with this id (once), e.g. the model's answer after its prompt.</summary>
    public int? FailCreateOfMessageId { get; set; }

    public Exception? FailNextUpdateMessage { get; set; }

    public bool LoseNextCreateMessageResponse { get; set; }

    public Exception? FailNextList { get; set; }

    public int AgentUpdates { get; private set; }

    public Task CreateSessionAsync(Session session, CancellationToken cancellationToken = default) => inner.CreateSessionAsync(session, cancellationToken);

    public Task<Session?> ReadSessionAsync(string sessionId, CancellationToken cancellationToken = default) => inner.ReadSessionAsync(sessionId, cancellationToken);

    public Task CreateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default) => inner.CreateAgentAsync(sessionId, agent, cancellationToken);

    public Task<SessionAgent?> ReadAgentAsync(string sessionId, string agentId, CancellationToken cancellationToken = default) => inner.ReadAgentAsync(sessionId, agentId, cancellationToken);

    public Task UpdateAgentAsync(string sessionId, SessionAgent agent, CancellationToken cancellationToken = default)
    {
        AgentUpdates++;
        return inner.UpdateAgentAsync(sessionId, agent, cancellationToken);
    }

    public async Task CreateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default)
    {
        if (FailNextCreateMessage is { } failure)
        {
            FailNextCreateMessage = null;
            throw new SessionException("The store failed.", failure);
        }

        if (FailCreateOfMessageId == message.MessageId)
        {
            FailCreateOfMessageId = null;
            throw new SessionException("The store failed.", new IOException("disk full"));
        }

        await inner.CreateMessageAsync(sessionId, agentId, message, cancellationToken);
        if (LoseNextCreateMessageResponse)
        {
            LoseNextCreateMessageResponse = false;
            throw new SessionException("The response was lost.", new TimeoutException());
        }
    }

    public Task<SessionMessage?> ReadMessageAsync(string sessionId, string agentId, int messageId, CancellationToken cancellationToken = default) => inner.ReadMessageAsync(sessionId, agentId, messageId, cancellationToken);

    public Task UpdateMessageAsync(string sessionId, string agentId, SessionMessage message, CancellationToken cancellationToken = default)
    {
        if (FailNextUpdateMessage is { } failure)
        {
            FailNextUpdateMessage = null;
            throw new SessionException("The store failed.", failure);
        }

        return inner.UpdateMessageAsync(sessionId, agentId, message, cancellationToken);
    }

    public Task<IReadOnlyList<SessionMessage>> ListMessagesAsync(string sessionId, string agentId, int? limit = null, int offset = 0, CancellationToken cancellationToken = default)
    {
        if (FailNextList is { } failure)
        {
            FailNextList = null;
            throw new SessionException("The store failed.", failure);
        }

        return inner.ListMessagesAsync(sessionId, agentId, limit, offset, cancellationToken);
    }
}
