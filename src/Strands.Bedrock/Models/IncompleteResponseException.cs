namespace Strands.Models;

/// <summary>
/// The model's response ended before it was complete: a ConverseStream response closed cleanly without a
/// <c>messageStop</c> event, or a Converse response without a stop reason or message. Nothing of it is added to an
/// agent's history, and the agent does not retry it by itself (a hook on <c>AfterModelCallEvent</c> may).
/// </summary>
public class IncompleteResponseException : Exception
{
    /// <summary>The message the exception carries by default.</summary>
    public const string DefaultMessage = "The model's response ended before its messageStop event: the stream was cut short, and what arrived of it was discarded.";

    /// <summary>Creates the exception.</summary>
    public IncompleteResponseException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public IncompleteResponseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public IncompleteResponseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
