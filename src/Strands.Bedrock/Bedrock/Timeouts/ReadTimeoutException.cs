namespace Strands.Bedrock;

/// <summary>
/// Bedrock Runtime sent nothing for <see cref="BedrockClientOptions.ReadTimeout"/> while the client waited for
/// data: for the response headers once the connection was open, or during one read of the body. The timer runs only
/// while a read is pending, so a slow but steady response is never cut off. Before the response headers it is
/// retried like other transport failures (10 tokens of the retry quota); inside a response body it is not.
/// </summary>
public sealed class ReadTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ReadTimeoutException()
        : this("Amazon Bedrock Runtime sent no data within BedrockClientOptions.ReadTimeout.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ReadTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The transport's own error, if any.</param>
    public ReadTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a timeout that elapsed.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="timeout">The read timeout that elapsed (<see cref="BedrockClientOptions.ReadTimeout"/>).</param>
    /// <param name="innerException">The transport's own error, if any.</param>
    public ReadTimeoutException(string message, TimeSpan timeout, Exception? innerException = null)
        : base(message, innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The read timeout that elapsed (<see cref="BedrockClientOptions.ReadTimeout"/>). Null when the exception was created without it.</summary>
    public TimeSpan? Timeout { get; }
}
