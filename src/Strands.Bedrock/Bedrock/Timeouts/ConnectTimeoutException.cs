namespace Strands.Bedrock;

/// <summary>
/// No connection (TCP and TLS) to Bedrock Runtime could be opened within <see
/// cref="BedrockClientOptions.ConnectTimeout"/>. Retried like other transport failures (AWS standard mode counts it
/// as a timeout: 10 tokens of the retry quota); thrown after the last attempt, with the transport's own timeout
/// error as the inner exception.
/// </summary>
public sealed class ConnectTimeoutException : TimeoutException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConnectTimeoutException()
        : this("No connection to Amazon Bedrock Runtime could be opened within BedrockClientOptions.ConnectTimeout.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConnectTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The transport's own error, if any.</param>
    public ConnectTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a timeout that elapsed.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="timeout">The connect timeout that elapsed (<see cref="BedrockClientOptions.ConnectTimeout"/>).</param>
    /// <param name="innerException">The transport's own error, if any.</param>
    public ConnectTimeoutException(string message, TimeSpan timeout, Exception? innerException = null)
        : base(message, innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The connect timeout that elapsed (<see cref="BedrockClientOptions.ConnectTimeout"/>). Null when the exception was created without it.</summary>
    public TimeSpan? Timeout { get; }
}
