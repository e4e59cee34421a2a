namespace Strands.Bedrock.EventStream;

/// <summary>
/// An <c>application/vnd.amazon.eventstream</c> stream could not be decoded. The message names offsets and lengths,
/// never payload content. After this exception the <see cref="EventStreamReader"/> that threw refuses further reads.
/// </summary>
public class EventStreamException : IOException
{
    /// <summary>Creates an exception of kind <see cref="EventStreamErrorKind.MalformedFrame"/>.</summary>
    public EventStreamException()
        : this(EventStreamErrorKind.MalformedFrame, "The event stream is malformed.")
    {
    }

    /// <summary>Creates an exception of kind <see cref="EventStreamErrorKind.MalformedFrame"/> with a message.</summary>
    /// <param name="message">The error message.</param>
    public EventStreamException(string message)
        : this(EventStreamErrorKind.MalformedFrame, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="EventStreamErrorKind.MalformedFrame"/> with a message and a cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The cause.</param>
    public EventStreamException(string message, Exception? innerException)
        : this(EventStreamErrorKind.MalformedFrame, message, innerException)
    {
    }

    /// <summary>Creates an exception of the given kind.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">The error message.</param>
    public EventStreamException(EventStreamErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    /// <summary>Creates an exception of the given kind with a cause.</summary>
    /// <param name="kind">What went wrong.</param>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The cause.</param>
    public EventStreamException(EventStreamErrorKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>What went wrong.</summary>
    public EventStreamErrorKind Kind { get; }
}
