using Strands.Agents;
using Strands.Content;
using Strands.Hooks;

namespace Strands.Sessions;

/// <summary>
/// Persists agents' conversations and state so that they survive the process and can continue on another host
/// (Strands for Python's <c>SessionManager</c>). Register it as a hook provider of the agent; its hooks restore the
/// agent before its first invocation, store every message as it is added, and store the agent's state after each
/// message and invocation. Give it to the agent as <see cref="AgentOptions.SessionManager"/>. <see cref="RepositorySessionManager"/> does this over an <see cref="ISessionRepository"/>.
/// </summary>
/// <remarks>
/// What the agent calls, and when (the hooks below do it for an agent that only registers the manager):
/// <list type="number">
/// <item><see cref="AttachAgent"/> from <see cref="AgentInitializedEvent"/>: claims the agent id (no I/O).</item>
/// <item><see cref="InitializeAsync"/> before the agent reads or changes its history for the first time — before
/// it prepares the input of its first invocation or records a direct tool call: restores the stored history, state
/// and conversation-manager state, or stores a new agent. Idempotent; on failure nothing in the agent changed.</item>
/// <item><see cref="AppendMessageAsync"/> from <see cref="MessageAddedEvent"/>, right after the message was
/// appended: stores it. When it throws (a <see cref="SessionException"/>), nothing was stored and the agent removes the
/// message again, so that memory and storage agree.</item>
/// <item><see cref="RedactLatestMessageAsync"/> right after a guardrail redacted the latest user message.</item>
/// <item><see cref="SyncAgentAsync"/> after each message, after the conversation manager reduced the history, and
/// from <see cref="AfterInvocationEvent"/>: stores state and conversation-manager state when they changed.</item>
/// </list>
/// </remarks>
public abstract class SessionManager : IHookProvider
{
    /// <summary>
    /// Registers the hooks: <see cref="AgentInitializedEvent"/> → <see cref="AttachAgent"/>;
    /// <see cref="MessageAddedEvent"/> → <see cref="AppendMessageAsync"/> then <see cref="SyncAgentAsync"/>;
    /// <see cref="MessageReplacedEvent"/> → <see cref="RedactLatestMessageAsync"/> or <see cref="ReplaceLatestMessageAsync"/>;
    /// <see cref="AfterInvocationEvent"/> → <see cref="SyncAgentAsync"/>. The agent calls <see cref="InitializeAsync"/>
    /// itself, before its first invocation.
    /// </summary>
    /// <param name="registry">The agent's hook registry.</param>
    public virtual void RegisterHooks(HookRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddCallback<AgentInitializedEvent>(e => AttachAgent(e.Agent));
        registry.AddCallback<MessageAddedEvent>(async (e, ct) =>
        {
            await AppendMessageAsync(e.Message, e.Agent, ct).ConfigureAwait(false);
            await SyncAgentAsync(e.Agent, ct).ConfigureAwait(false);
        });
        registry.AddCallback<MessageReplacedEvent>((e, ct) => e.Reason == MessageReplacement.Redacted
            ? RedactLatestMessageAsync(e.Message, e.Agent, ct)
            : ReplaceLatestMessageAsync(e.Message, e.Agent, ct));
        registry.AddCallback<AfterInvocationEvent>((e, ct) => SyncAgentAsync(e.Agent, ct));
    }

    /// <summary>Claims <paramref name="agent"/>'s id in the session; called from the agent's constructor, so it does no I/O.</summary>
    /// <param name="agent">The agent.</param>
    /// <exception cref="SessionException">Another agent of this session manager has the same id.</exception>
    /// <exception cref="ArgumentException">The agent id is not a valid id (<see cref="SessionIds"/>).</exception>
    public abstract void AttachAgent(Agent agent);

    /// <summary>
    /// Restores <paramref name="agent"/> from the session, or stores it as a new agent of the session. Runs once per
    /// agent; later calls return at once.
    /// </summary>
    /// <param name="agent">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the agent is restored or stored.</returns>
    /// <exception cref="SessionException">The store failed or holds data this agent cannot use; the agent is unchanged.</exception>
    public abstract Task InitializeAsync(Agent agent, CancellationToken cancellationToken = default);

    /// <summary>Stores a message that was just appended to <paramref name="agent"/>'s history.</summary>
    /// <param name="message">The message.</param>
    /// <param name="agent">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the message is stored.</returns>
    /// <exception cref="SessionConflictException">Another agent instance stored a message at this position first.</exception>
    /// <exception cref="SessionException">The store failed; nothing was stored.</exception>
    public abstract Task AppendMessageAsync(Message message, Agent agent, CancellationToken cancellationToken = default);

    /// <summary>Replaces the most recently stored message of <paramref name="agent"/> with its guardrail redaction.</summary>
    /// <param name="redactMessage">The redacted message, as it now is in the history.</param>
    /// <param name="agent">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the redaction is stored.</returns>
    /// <exception cref="SessionException">No message was stored yet, or the store failed.</exception>
    public abstract Task RedactLatestMessageAsync(Message redactMessage, Agent agent, CancellationToken cancellationToken = default);

    /// <summary>Replaces the most recently stored message of <paramref name="agent"/>: content joined it (<see cref="MessageReplacement.Extended"/>).</summary>
    /// <param name="message">The message, as it now is in the history.</param>
    /// <param name="agent">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the message is stored.</returns>
    /// <exception cref="SessionException">No message was stored yet, or the store failed.</exception>
    public abstract Task ReplaceLatestMessageAsync(Message message, Agent agent, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="agent"/>'s state and conversation-manager state when they changed since the last sync.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the agent is stored.</returns>
    /// <exception cref="SessionException">The store failed.</exception>
    public abstract Task SyncAgentAsync(Agent agent, CancellationToken cancellationToken = default);
}
