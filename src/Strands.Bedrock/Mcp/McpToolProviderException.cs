namespace Strands.Mcp;

/// <summary>
/// An <see cref="McpToolProvider"/> could not provide its tools: the server did not start or answer in time, the
/// connection failed, or a tool name cannot be used with Bedrock. The message says which and what to do.
/// </summary>
public sealed class McpToolProviderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public McpToolProviderException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public McpToolProviderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public McpToolProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
