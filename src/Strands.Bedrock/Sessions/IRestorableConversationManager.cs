using System.Text.Json;
using Strands.Content;
using Strands.Conversation;

namespace Strands.Sessions;

/// <summary>
/// A conversation manager whose state a session stores and restores (Strands for Python's <c>get_state</c> and
/// <c>restore_from_session</c>). The session manager stores <see cref="GetState"/> with the agent after every message
/// and invocation, and on restore calls <see cref="RestoreFromSession"/> before it lists the messages from
/// <see cref="IConversationManager.RemovedMessageCount"/> on.
/// </summary>
/// <remarks>
/// Managers that do not implement this interface are handled by the session manager: it stores
/// <c>__name__</c> (the class name) and <c>removed_message_count</c> (the count restored plus
/// <see cref="IConversationManager.RemovedMessageCount"/>), and for <see cref="SummarizingConversationManager"/> its
/// <c>summary_message</c>, which it puts back at the start of the restored history.
/// </remarks>
public interface IRestorableConversationManager : IConversationManager
{
    /// <summary>
    /// The manager's state as JSON values: at least <c>__name__</c> (the class name, as Python writes it) and
    /// <c>removed_message_count</c>.
    /// </summary>
    /// <returns>The state.</returns>
    IReadOnlyDictionary<string, JsonElement> GetState();

    /// <summary>Restores the manager from a state <see cref="GetState"/> returned, possibly in another process.</summary>
    /// <param name="state">The stored state.</param>
    /// <returns>Messages to put before the restored messages (e.g. a summary), or null.</returns>
    /// <exception cref="ArgumentException">The state is not one this manager wrote (another <c>__name__</c>).</exception>
    IReadOnlyList<Message>? RestoreFromSession(IReadOnlyDictionary<string, JsonElement> state);
}
