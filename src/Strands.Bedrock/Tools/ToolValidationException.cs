namespace Strands.Tools;

/// <summary>The input of a tool call does not fit the tool's input schema. The model gets the message as an error result.</summary>
public class ToolValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ToolValidationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the input.</param>
    public ToolValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="innerException">The cause.</param>
    public ToolValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
