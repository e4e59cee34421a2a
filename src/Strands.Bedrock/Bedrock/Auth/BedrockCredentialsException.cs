namespace Strands.Bedrock;

/// <summary>
/// AWS credentials could not be found or loaded: a named profile does not exist or has no credentials, or the default
/// credential chain found nothing when the first request needed credentials. The inner exception, if any, is the
/// AWS SDK's own error listing what each credential source reported.
/// </summary>
public sealed class BedrockCredentialsException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public BedrockCredentialsException()
        : this("No AWS credentials could be found.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The error message.</param>
    public BedrockCredentialsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public BedrockCredentialsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
