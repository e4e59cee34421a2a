namespace Strands.Models;

/// <summary>The model did not produce the structured output that was asked for.</summary>
public class StructuredOutputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StructuredOutputException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public StructuredOutputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StructuredOutputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
