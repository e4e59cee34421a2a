using System.Text;

namespace Strands.Sessions;

/// <summary>
/// The rules for session and agent ids, which become a directory name or an S3 key segment
/// (<c>session_&lt;id&gt;</c>, <c>agent_&lt;id&gt;</c>): 1 to 200 UTF-8 bytes, no <c>/</c> or <c>\</c> (the rule of
/// Strands for Python), not <c>.</c> or <c>..</c>, and no control characters. So an id can neither leave its directory
/// nor add a segment to a key. The session manager and both built-in stores check every id.
/// </summary>
public static class SessionIds
{
    /// <summary>The longest id in UTF-8 bytes, so that <c>session_&lt;id&gt;</c> fits a 255-byte file name.</summary>
    public const int MaxUtf8Length = 200;

    /// <summary>Checks a session id.</summary>
    /// <param name="sessionId">The id.</param>
    /// <param name="paramName">The parameter name reported.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The id breaks a rule; the message says which.</exception>
    public static string ValidateSessionId(string sessionId, string paramName = "sessionId") => Validate(sessionId, "session", paramName);

    /// <summary>Checks an agent id.</summary>
    /// <param name="agentId">The id.</param>
    /// <param name="paramName">The parameter name reported.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The id breaks a rule; the message says which.</exception>
    public static string ValidateAgentId(string agentId, string paramName = "agentId") => Validate(agentId, "agent", paramName);

    /// <summary>Checks a message id (a non-negative integer).</summary>
    /// <param name="messageId">The id.</param>
    /// <param name="paramName">The parameter name reported.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The id is negative.</exception>
    public static int ValidateMessageId(int messageId, string paramName = "messageId")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageId, paramName);
        return messageId;
    }

    private static string Validate(string? id, string kind, string paramName)
    {
        if (string.IsNullOrEmpty(id))
        {
            throw new ArgumentException($"A {kind} id must not be empty.", paramName);
        }

        // The id itself is not echoed: it may be arbitrary caller input (and contain control characters).
        if (id.AsSpan().IndexOfAny('/', '\\') >= 0)
        {
            throw new ArgumentException($"A {kind} id cannot contain path separators ('/' or '\\').", paramName);
        }

        if (id is "." or "..")
        {
            throw new ArgumentException($"A {kind} id cannot be '.' or '..'.", paramName);
        }

        foreach (var c in id)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"A {kind} id cannot contain control characters.", paramName);
            }

            if (char.IsSurrogate(c) && !HasValidSurrogates(id))
            {
                throw new ArgumentException($"A {kind} id must be valid UTF-16 (it has an unpaired surrogate).", paramName);
            }
        }

        if (Encoding.UTF8.GetByteCount(id) > MaxUtf8Length)
        {
            throw new ArgumentException($"A {kind} id can be at most {MaxUtf8Length} UTF-8 bytes long.", paramName);
        }

        return id;
    }

    private static bool HasValidSurrogates(string id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            if (char.IsHighSurrogate(id[i]))
            {
                if (i + 1 >= id.Length || !char.IsLowSurrogate(id[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(id[i]))
            {
                return false;
            }
        }

        return true;
    }
}
