using Strands.Agents;

namespace Strands.Conversation;

/// <summary>
/// Keeps an agent's history within bounds. The agent calls <see cref="ApplyManagementAsync"/> after every
/// invocation and direct tool call, and <see cref="ReduceContextAsync"/> when the model reports a context window
/// overflow, after which the agent calls the model again. A manager that also implements
/// <see cref="Hooks.IHookProvider"/> is registered as one.
/// </summary>
public interface IConversationManager
{
    /// <summary>How many messages the manager removed from the history so far.</summary>
    int RemovedMessageCount { get; }

    /// <summary>Routine management after an invocation; must not throw when there is nothing to do.</summary>
    /// <param name="agent">The agent whose <see cref="Agent.Messages"/> to manage.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the history is managed.</returns>
    ValueTask ApplyManagementAsync(Agent agent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Shrinks the history. With an <paramref name="exception"/> (the model's context window overflowed) it must
    /// shrink the history or throw, typically a <see cref="Models.ContextWindowOverflowException"/>; without one it
    /// does its best.
    /// </summary>
    /// <param name="agent">The agent whose <see cref="Agent.Messages"/> to shrink.</param>
    /// <param name="exception">The overflow that made the reduction necessary, or null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task that completes when the history is smaller.</returns>
    ValueTask ReduceContextAsync(Agent agent, Exception? exception = null, CancellationToken cancellationToken = default);
}
