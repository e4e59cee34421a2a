using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strands.Agents;
using Strands.Content;
using Strands.Conversation;
using Strands.Sessions.Json;

namespace Strands.Sessions;

/// <summary>
/// A session manager over an <see cref="ISessionRepository"/>, with the behaviour of Strands for Python's
/// <c>RepositorySessionManager</c>: the session is created when it does not exist; a new agent is stored with the
/// messages it already has (ids 0, 1, …); an agent that exists in the session gets back its state, its
/// conversation-manager state and its messages from the first one the conversation manager had not removed, and a
/// history that a crash left with unanswered tool uses is repaired. Agent ids are unique per session manager.
/// </summary>
/// <remarks>
/// <para>Several agent instances with the same session and agent id — in this process or on other hosts — are safe
/// when they take turns: each new agent restores what the others stored. When two of them append to the same
/// conversation concurrently, the later write fails with <see cref="SessionConflictException"/> and nothing is
/// overwritten; create a new agent to continue from the stored conversation.</para>
/// <para>Thread-safe. One manager can serve several agents with different ids.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "The semaphores are only awaited and released; a SemaphoreSlim allocates nothing to dispose unless its AvailableWaitHandle is read.")]
public sealed class RepositorySessionManager : SessionManager
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AgentEntry> _agents = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sessionGate = new(1, 1);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private bool _sessionReady;
    private bool _isNewSession;

    /// <summary>Creates the manager. Nothing is read or written until the first agent is initialised.</summary>
    /// <param name="sessionId">The session id; the session is created in the repository when it does not exist.</param>
    /// <param name="repository">Where the session is stored.</param>
    /// <param name="timeProvider">The clock for the stored timestamps; the system clock when null.</param>
    /// <param name="loggerFactory">Where the manager logs (ids and counts, never message content); nowhere when null.</param>
    /// <exception cref="ArgumentException">The session id is not valid (<see cref="SessionIds"/>).</exception>
    public RepositorySessionManager(string sessionId, ISessionRepository repository, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        SessionId = SessionIds.ValidateSessionId(sessionId);
        Repository = repository;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger<RepositorySessionManager>() ?? NullLogger<RepositorySessionManager>.Instance;
    }

    /// <summary>The session id.</summary>
    public string SessionId { get; }

    /// <summary>Where the session is stored.</summary>
    public ISessionRepository Repository { get; }

    /// <inheritdoc />
    public override void AttachAgent(Agent agent) => Attach(agent);

    /// <inheritdoc />
    public override async Task InitializeAsync(Agent agent, CancellationToken cancellationToken = default)
    {
        var entry = Attach(agent);
        await OneAtATimeAsync(entry, async () =>
        {
            if (!entry.Initialized)
            {
                await InitializeCoreAsync(agent, entry, pending: null, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task AppendMessageAsync(Message message, Agent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = Attach(agent);
        await OneAtATimeAsync(entry, async () =>
        {
            if (!entry.Initialized)
            {
                // A message added before anything initialised the agent (e.g. a direct tool call): restore around it.
                var pending = agent.Messages.Count > 0 && ReferenceEquals(agent.Messages[^1], message) ? message : null;
                await InitializeCoreAsync(agent, entry, pending, cancellationToken).ConfigureAwait(false);
            }

            var id = entry.NextMessageId;
            var now = SessionJson.Now(_timeProvider);
            var stored = new SessionMessage { Message = message, MessageId = id, CreatedAt = now, UpdatedAt = now };
            try
            {
                await Repository.CreateMessageAsync(SessionId, agent.AgentId, stored, cancellationToken).ConfigureAwait(false);
            }
            catch (SessionConflictException ex)
            {
                // A retried write whose first attempt did land (e.g. the response was lost) is not a conflict.
                var existing = await Repository.ReadMessageAsync(SessionId, agent.AgentId, id, cancellationToken).ConfigureAwait(false);
                if (existing is null || !SameJson(existing.Message, message))
                {
                    throw new SessionConflictException(
                        $"Message {id} of agent {agent.AgentId} in session {SessionId} was stored by another agent instance with the same session and agent id: this agent's history is out of date. Create a new agent to continue from the stored conversation.",
                        ex);
                }

                SessionLog.IdempotentWrite(_logger, id, agent.AgentId, SessionId);
                stored = existing;
            }

            entry.NextMessageId = id + 1;
            entry.Latest = stored;
            SessionLog.StoredMessage(_logger, id, agent.AgentId, SessionId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Both <c>message</c> and <c>redact_message</c> of the stored message become the redaction, which is what Strands
    /// for Python's files hold after a redaction: the unredacted input does not stay in storage.
    /// </remarks>
    public override async Task RedactLatestMessageAsync(Message redactMessage, Agent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redactMessage);
        var entry = Attach(agent);
        await OneAtATimeAsync(entry, async () =>
        {
            var latest = entry.Latest ?? throw new SessionException($"Agent {agent.AgentId} of session {SessionId} has no stored message to redact.");
            var redacted = latest with { Message = redactMessage, RedactMessage = redactMessage, UpdatedAt = SessionJson.Now(_timeProvider) };
            await Repository.UpdateMessageAsync(SessionId, agent.AgentId, redacted, cancellationToken).ConfigureAwait(false);
            entry.Latest = redacted;
            SessionLog.Redacted(_logger, redacted.MessageId, agent.AgentId, SessionId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task ReplaceLatestMessageAsync(Message message, Agent agent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = Attach(agent);
        await OneAtATimeAsync(entry, async () =>
        {
            var latest = entry.Latest ?? throw new SessionException($"Agent {agent.AgentId} of session {SessionId} has no stored message to replace.");
            var replaced = latest with { Message = message, UpdatedAt = SessionJson.Now(_timeProvider) };
            await Repository.UpdateMessageAsync(SessionId, agent.AgentId, replaced, cancellationToken).ConfigureAwait(false);
            entry.Latest = replaced;
            SessionLog.Replaced(_logger, replaced.MessageId, agent.AgentId, SessionId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task SyncAgentAsync(Agent agent, CancellationToken cancellationToken = default)
    {
        var entry = Attach(agent);
        await OneAtATimeAsync(entry, async () =>
        {
            if (!entry.Initialized)
            {
                // Nothing was restored or stored yet, so there is nothing to bring up to date.
                return;
            }

            var now = SessionJson.Now(_timeProvider);
            var current = Snapshot(agent, entry, now);
            var fingerprint = Fingerprint(current);
            if (fingerprint == entry.LastSynced)
            {
                SessionLog.SyncSkipped(_logger, agent.AgentId, SessionId);
                return;
            }

            await Repository.UpdateAgentAsync(SessionId, current, cancellationToken).ConfigureAwait(false);
            entry.LastSynced = fingerprint;
            SessionLog.Synced(_logger, agent.AgentId, SessionId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="action"/> while no other operation on the same agent runs.</summary>
    private static async Task OneAtATimeAsync(AgentEntry entry, Func<Task> action, CancellationToken cancellationToken)
    {
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private AgentEntry Attach(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        SessionIds.ValidateAgentId(agent.AgentId, nameof(agent));
        lock (_lock)
        {
            if (_agents.TryGetValue(agent.AgentId, out var existing))
            {
                return ReferenceEquals(existing.Agent, agent)
                    ? existing
                    : throw new SessionException($"The agent id '{agent.AgentId}' is already used by another agent of session {SessionId}: agent ids must be unique in a session.");
            }

            var entry = new AgentEntry(agent);
            _agents.Add(agent.AgentId, entry);
            return entry;
        }
    }

    private async Task InitializeCoreAsync(Agent agent, AgentEntry entry, Message? pending, CancellationToken cancellationToken)
    {
        var isNewSession = await EnsureSessionAsync(cancellationToken).ConfigureAwait(false);
        var stored = isNewSession ? null : await Repository.ReadAgentAsync(SessionId, agent.AgentId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            await CreateAgentAsync(agent, entry, pending, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RestoreAgentAsync(agent, entry, stored, pending, cancellationToken).ConfigureAwait(false);
        }

        entry.Initialized = true;
        lock (_lock)
        {
            _isNewSession = false;
        }
    }

    /// <summary>Reads the session, or creates it; returns true when this manager just created it (so it has no agents yet).</summary>
    private async Task<bool> EnsureSessionAsync(CancellationToken cancellationToken)
    {
        await _sessionGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_sessionReady)
            {
                if (await Repository.ReadSessionAsync(SessionId, cancellationToken).ConfigureAwait(false) is null)
                {
                    SessionLog.CreatingSession(_logger, SessionId);
                    var now = SessionJson.Now(_timeProvider);
                    try
                    {
                        await Repository.CreateSessionAsync(new Session { SessionId = SessionId, CreatedAt = now, UpdatedAt = now }, cancellationToken).ConfigureAwait(false);
                        _isNewSession = true;
                    }
                    catch (SessionConflictException)
                    {
                        // Another process created it between the read and the write: use theirs.
                    }
                }

                _sessionReady = true;
            }

            lock (_lock)
            {
                return _isNewSession;
            }
        }
        finally
        {
            _sessionGate.Release();
        }
    }

    private async Task CreateAgentAsync(Agent agent, AgentEntry entry, Message? pending, CancellationToken cancellationToken)
    {
        var messages = agent.Messages.ToList();
        if (pending is not null)
        {
            messages.RemoveAt(messages.Count - 1);
        }

        SessionLog.CreatingAgent(_logger, agent.AgentId, SessionId, messages.Count);
        var now = SessionJson.Now(_timeProvider);
        var sessionAgent = Snapshot(agent, entry, now);
        await Repository.CreateAgentAsync(SessionId, sessionAgent, cancellationToken).ConfigureAwait(false);
        SessionMessage? latest = null;
        for (var i = 0; i < messages.Count; i++)
        {
            latest = new SessionMessage { Message = messages[i], MessageId = i, CreatedAt = now, UpdatedAt = now };
            await Repository.CreateMessageAsync(SessionId, agent.AgentId, latest, cancellationToken).ConfigureAwait(false);
        }

        entry.NextMessageId = messages.Count;
        entry.Latest = latest;
        entry.LastSynced = Fingerprint(sessionAgent);
    }

    private async Task RestoreAgentAsync(Agent agent, AgentEntry entry, SessionAgent stored, Message? pending, CancellationToken cancellationToken)
    {
        // Everything is read and checked first; the agent changes only once nothing can fail any more.
        var conversationState = new ConversationManagerState();
        var (prepend, offset) = conversationState.Restore(agent.ConversationManager, stored.ConversationManagerState);
        var listed = await Repository.ListMessagesAsync(SessionId, agent.AgentId, offset: offset, cancellationToken: cancellationToken).ConfigureAwait(false);
        var history = new List<Message>(prepend.Count + listed.Count + 1);
        history.AddRange(prepend);
        foreach (var message in listed)
        {
            history.Add(message.ToMessage());
        }

        RepairToolUse(history, agent.AgentId);

        foreach (var key in agent.State.Keys)
        {
            agent.State.Delete(key);
        }

        foreach (var (key, value) in stored.State)
        {
            agent.State.Set(key, value);
        }

        agent.Messages.Clear();
        foreach (var message in history)
        {
            agent.Messages.Add(message);
        }

        if (pending is not null)
        {
            agent.Messages.Add(pending);
        }

        entry.ConversationState = conversationState;
        entry.InternalState = stored.InternalState;
        // Ids are positions in the whole conversation, so after the last listed message, or at the offset when the
        // conversation manager had removed every stored message.
        entry.NextMessageId = listed.Count > 0 ? listed[^1].MessageId + 1 : offset;
        entry.Latest = listed.Count > 0 ? listed[^1] : null;
        entry.LastSynced = null;
        SessionLog.RestoredAgent(_logger, agent.AgentId, SessionId, listed.Count, offset);
    }

    /// <summary>
    /// Repairs a restored history (Strands for Python, issue 859): a first message of tool results whose tool uses
    /// were not restored is dropped, and tool uses (except in the last message, which the agent handles) that have
    /// no result in the next message get an error result "Tool was interrupted.".
    /// </summary>
    private void RepairToolUse(List<Message> history, string agentId)
    {
        if (history.Count > 0 && history[0].Role == ConversationRole.User && history[0].HasToolResult())
        {
            SessionLog.DroppedOrphanedToolResult(_logger, agentId, SessionId);
            history.RemoveAt(0);
        }

        for (var i = 0; i + 1 < history.Count; i++)
        {
            var toolUseIds = history[i].Content.Where(b => b.ToolUse is not null).Select(b => b.ToolUse!.ToolUseId).ToList();
            if (toolUseIds.Count == 0)
            {
                continue;
            }

            var next = history[i + 1];
            var answered = next.Content.Where(b => b.ToolResult is not null).Select(b => b.ToolResult!.ToolUseId).ToHashSet(StringComparer.Ordinal);
            var missing = toolUseIds.Where(id => !answered.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            SessionLog.AddedMissingToolResults(_logger, agentId, SessionId, missing.Count);
            var results = missing.Select(id => new ContentBlock
            {
                ToolResult = new ToolResultBlock { ToolUseId = id, Status = ToolResultStatus.Error, Content = [ToolResultContentBlock.FromText("Tool was interrupted.")] },
            });
            if (answered.Count > 0)
            {
                history[i + 1] = next with { Content = [.. next.Content, .. results] };
            }
            else
            {
                history.Insert(i + 1, Message.User([.. results]));
            }
        }
    }

    private static SessionAgent Snapshot(Agent agent, AgentEntry entry, DateTimeOffset now) => new()
    {
        AgentId = agent.AgentId,
        State = agent.State.GetAll(),
        ConversationManagerState = entry.ConversationState.GetState(agent.ConversationManager),
        InternalState = entry.InternalState ?? DefaultInternalState,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>What a sync compares: the stored fields except the timestamps.</summary>
    private static string Fingerprint(SessionAgent agent) =>
        System.Text.Encoding.UTF8.GetString(SessionJson.Serialize(agent with { CreatedAt = default, UpdatedAt = default }));

    private static bool SameJson(Message a, Message b) =>
        SessionJson.SerializeConversationMessage(a).GetRawText() == SessionJson.SerializeConversationMessage(b).GetRawText();

    /// <summary>
    /// Python's internal state of an agent without interrupts or model state, so that a Python agent restoring this
    /// agent finds the keys it expects.
    /// </summary>
    private static IReadOnlyDictionary<string, JsonElement> DefaultInternalState { get; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
    {
        ["interrupt_state"] = Parse("""{"interrupts":{},"context":{},"activated":false}"""),
        ["model_state"] = Parse("{}"),
    };

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>What the manager knows about one agent.</summary>
    private sealed class AgentEntry(Agent agent)
    {
        public Agent Agent { get; } = agent;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool Initialized { get; set; }

        public int NextMessageId { get; set; }

        public SessionMessage? Latest { get; set; }

        public string? LastSynced { get; set; }

        public ConversationManagerState ConversationState { get; set; } = new();

        public IReadOnlyDictionary<string, JsonElement>? InternalState { get; set; }
    }
}
