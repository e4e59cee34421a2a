namespace Strands.Sessions;

/// <summary>
/// A session could not be read or written: the store failed (the inner exception says how), the stored data is not
/// valid, or the session is used in a way it does not allow. Messages name the session, agent and file or key, never
/// credentials or message content.
/// </summary>
public class SessionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public SessionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The failure of the store.</param>
    public SessionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Something that must be created once already exists: a session, or a message id that another writer (another agent
/// instance with the same session and agent id, in this process or another) stored first. Nothing was overwritten.
/// </summary>
public sealed class SessionConflictException : SessionException
{
    /// <summary>Creates the exception.</summary>
    public SessionConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What already exists.</param>
    public SessionConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What already exists.</param>
    /// <param name="innerException">The store's report of the conflict.</param>
    public SessionConflictException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
