using System.Text.Json;
using Strands.Content;
using Strands.Conversation;
using Strands.Sessions.Json;

namespace Strands.Sessions;

/// <summary>
/// The conversation-manager state a session stores, in Strands for Python's shape. Delegates to managers that
/// implement <see cref="IRestorableConversationManager"/>; for the others it keeps the restored state beside the
/// manager: the removed-message count is the restored count plus what the manager removed since, and a restored
/// summary goes back to the front of the history.
/// </summary>
internal sealed class ConversationManagerState
{
    private const string NameKey = "__name__";
    private const string RemovedKey = "removed_message_count";
    private const string SummaryKey = "summary_message";
    private const string ModelCallCountKey = "model_call_count";

    private IReadOnlyDictionary<string, JsonElement> _restored = SessionAgent.EmptyObject;
    private int _restoredRemovedCount;
    private Message? _restoredSummary;

    /// <summary>The state to store for <paramref name="manager"/>.</summary>
    public IReadOnlyDictionary<string, JsonElement> GetState(IConversationManager manager)
    {
        if (manager is IRestorableConversationManager restorable)
        {
            return restorable.GetState();
        }

        var state = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (manager is SummarizingConversationManager summarizing)
        {
            var summary = summarizing.SummaryMessage ?? _restoredSummary;
            state[SummaryKey] = summary is null ? JsonScalars.Null : SessionJson.SerializeConversationMessage(summary);
        }

        state[NameKey] = JsonScalars.String(manager.GetType().Name);
        state[RemovedKey] = JsonScalars.Int(_restoredRemovedCount + manager.RemovedMessageCount);
        if (manager is SlidingWindowConversationManager)
        {
            // Python's per-turn counter; this manager has no per-turn mode, so the restored value is kept as it was.
            state[ModelCallCountKey] = _restored.TryGetValue(ModelCallCountKey, out var count) ? count : JsonScalars.Int(0);
        }

        foreach (var (key, value) in _restored)
        {
            state.TryAdd(key, value);
        }

        return state;
    }

    /// <summary>
    /// Restores <paramref name="manager"/> from <paramref name="state"/>.
    /// </summary>
    /// <returns>The messages to put before the restored ones, and the number of stored messages to skip.</returns>
    /// <exception cref="SessionException">The state was written by another kind of conversation manager, or is malformed.</exception>
    public (IReadOnlyList<Message> Prepend, int Offset) Restore(IConversationManager manager, IReadOnlyDictionary<string, JsonElement> state)
    {
        if (manager is IRestorableConversationManager restorable)
        {
            IReadOnlyList<Message>? prepend;
            try
            {
                prepend = restorable.RestoreFromSession(state);
            }
            catch (ArgumentException ex)
            {
                throw new SessionException($"Invalid conversation manager state for {manager.GetType().Name}: {ex.Message}", ex);
            }

            return (prepend ?? [], manager.RemovedMessageCount);
        }

        var name = manager.GetType().Name;
        if (!state.TryGetValue(NameKey, out var stored) || stored.ValueKind != JsonValueKind.String || stored.GetString() != name)
        {
            var found = stored.ValueKind == JsonValueKind.String ? stored.GetString() : "nothing";
            throw new SessionException($"Invalid conversation manager state: the session was stored with {found}, the agent uses {name}.");
        }

        if (!state.TryGetValue(RemovedKey, out var removed) || removed.ValueKind != JsonValueKind.Number || !removed.TryGetInt32(out var removedCount) || removedCount < 0)
        {
            throw new SessionException("Invalid conversation manager state: removed_message_count is missing or not a non-negative integer.");
        }

        Message? summary = null;
        if (manager is SummarizingConversationManager && state.TryGetValue(SummaryKey, out var summaryJson) && summaryJson.ValueKind == JsonValueKind.Object)
        {
            try
            {
                summary = SessionJson.DeserializeConversationMessage(summaryJson);
            }
            catch (JsonException ex)
            {
                throw new SessionException("Invalid conversation manager state: summary_message is not a message.", ex);
            }
        }

        _restored = state;
        _restoredRemovedCount = removedCount - manager.RemovedMessageCount;
        _restoredSummary = summary;
        if (manager is SummarizingConversationManager summarizing && summary is not null)
        {
            // The manager must recognise the restored summary at the front when it summarises again.
            summarizing.SummaryMessage = summary;
        }

        return (summary is null ? [] : [summary], removedCount);
    }
}
