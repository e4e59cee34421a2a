namespace Strands.Sessions;

/// <summary>
/// A session: the container of the agents whose conversations a session manager persists. Stored as
/// <c>session_&lt;id&gt;/session.json</c>, with the fields of Strands for Python (<c>session_id</c>,
/// <c>session_type</c>, <c>created_at</c>, <c>updated_at</c>).
/// </summary>
public sealed record Session
{
    /// <summary>The session id; see <see cref="SessionIds"/> for the characters allowed.</summary>
    public required string SessionId { get; init; }

    /// <summary>What the session holds; <see cref="SessionType.Agent"/>.</summary>
    public SessionType SessionType { get; init; } = SessionType.Agent;

    /// <summary>When the session was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the session was last updated.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
