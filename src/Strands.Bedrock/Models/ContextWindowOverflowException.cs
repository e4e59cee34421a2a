namespace Strands.Models;

/// <summary>The conversation no longer fits the model's context window. The agent reduces the history with its conversation manager and tries again.</summary>
public class ContextWindowOverflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ContextWindowOverflowException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public ContextWindowOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The provider's error.</param>
    public ContextWindowOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
