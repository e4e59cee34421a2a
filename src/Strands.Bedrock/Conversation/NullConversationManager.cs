using System.Runtime.ExceptionServices;
using Strands.Agents;

namespace Strands.Conversation;

/// <summary>Never changes the history. A context window overflow is rethrown to the caller.</summary>
public sealed class NullConversationManager : IConversationManager
{
    /// <inheritdoc />
    public int RemovedMessageCount => 0;

    /// <inheritdoc />
    public ValueTask ApplyManagementAsync(Agent agent, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask ReduceContextAsync(Agent agent, Exception? exception = null, CancellationToken cancellationToken = default)
    {
        if (exception is not null)
        {
            ExceptionDispatchInfo.Throw(exception);
        }

        return ValueTask.CompletedTask;
    }
}
