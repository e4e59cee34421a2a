namespace Strands.Models;

/// <summary>The model provider throttled the request (after the client's own retries). The agent retries it with back-off.</summary>
public class ModelThrottledException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelThrottledException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    public ModelThrottledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The provider's error.</param>
    public ModelThrottledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
