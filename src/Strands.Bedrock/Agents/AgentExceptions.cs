using Strands.Content;

namespace Strands.Agents;

/// <summary>
/// The model stopped because it reached its output token limit. The partial assistant message is already in the
/// history (incomplete tool uses replaced by a note), so the conversation can go on, e.g. with a higher
/// <c>MaxTokens</c> or a request to continue.
/// </summary>
public class MaxTokensReachedException : Exception
{
    /// <summary>The message the exception carries by default.</summary>
    public const string DefaultMessage =
        "The model reached its max_tokens limit before it finished its response; the partial response was kept in the conversation history. "
        + "For more information see: https://strandsagents.com/latest/user-guide/concepts/agents/agent-loop/#maxtokensreachedexception";

    /// <summary>Creates the exception.</summary>
    public MaxTokensReachedException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public MaxTokensReachedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public MaxTokensReachedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with the partial message.</summary>
    /// <param name="partialMessage">The assistant message as it was added to the history.</param>
    public MaxTokensReachedException(Message partialMessage)
        : base(DefaultMessage)
    {
        PartialMessage = partialMessage;
    }

    /// <summary>The assistant message as it was added to the history, or null.</summary>
    public Message? PartialMessage { get; }
}

/// <summary>An agent was invoked while it was still processing another invocation. Use one agent per conversation, or wait.</summary>
public class ConcurrencyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyException()
        : base("Agent is already processing a request. Concurrent invocations are not supported.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public ConcurrencyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ConcurrencyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
