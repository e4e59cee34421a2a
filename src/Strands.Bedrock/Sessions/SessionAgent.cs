using System.Text.Json;

namespace Strands.Sessions;

/// <summary>
/// An agent of a session: its state, its conversation manager's state and Strands' own state, stored as
/// <c>agents/agent_&lt;id&gt;/agent.json</c> with the fields of Strands for Python (<c>agent_id</c>, <c>state</c>,
/// <c>conversation_manager_state</c>, <c>_internal_state</c>, <c>created_at</c>, <c>updated_at</c>). The messages are
/// stored beside it, one file each (<see cref="SessionMessage"/>).
/// </summary>
public sealed record SessionAgent
{
    /// <summary>The agent id; see <see cref="SessionIds"/> for the characters allowed.</summary>
    public required string AgentId { get; init; }

    /// <summary>The agent's <see cref="Agents.AgentState"/>, key by key.</summary>
    public IReadOnlyDictionary<string, JsonElement> State { get; init; } = EmptyObject;

    /// <summary>
    /// The conversation manager's state, as Strands for Python writes it: <c>__name__</c> (the manager's class name),
    /// <c>removed_message_count</c>, and what the manager adds (e.g. <c>summary_message</c>).
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> ConversationManagerState { get; init; } = EmptyObject;

    /// <summary>
    /// State that Strands itself keeps (Python: interrupt state and model state), kept verbatim so that a conversation
    /// can move between the SDKs.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> InternalState { get; init; } = EmptyObject;

    /// <summary>When the agent was first stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the agent was last stored.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    internal static IReadOnlyDictionary<string, JsonElement> EmptyObject { get; } = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
}
