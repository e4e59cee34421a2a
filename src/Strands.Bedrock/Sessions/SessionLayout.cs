using System.Globalization;

namespace Strands.Sessions;

/// <summary>
/// The names of Strands for Python's session layout, shared by the file store (as paths) and the S3 store (as keys):
/// <c>session_&lt;id&gt;/session.json</c>, <c>agents/agent_&lt;id&gt;/agent.json</c>,
/// <c>agents/agent_&lt;id&gt;/messages/message_&lt;n&gt;.json</c>, and <c>multi_agents/</c>.
/// </summary>
internal static class SessionLayout
{
    public const string SessionFile = "session.json";
    public const string AgentsFolder = "agents";
    public const string MultiAgentsFolder = "multi_agents";
    public const string AgentFile = "agent.json";
    public const string MessagesFolder = "messages";

    private const string SessionPrefix = "session_";
    private const string AgentPrefix = "agent_";
    private const string MessagePrefix = "message_";
    private const string JsonSuffix = ".json";

    /// <summary><c>session_&lt;id&gt;</c>, after checking the id.</summary>
    public static string SessionFolder(string sessionId) => SessionPrefix + SessionIds.ValidateSessionId(sessionId);

    /// <summary><c>agent_&lt;id&gt;</c>, after checking the id.</summary>
    public static string AgentFolder(string agentId) => AgentPrefix + SessionIds.ValidateAgentId(agentId);

    /// <summary><c>message_&lt;id&gt;.json</c>, after checking the id.</summary>
    public static string MessageFile(int messageId) =>
        MessagePrefix + SessionIds.ValidateMessageId(messageId).ToString(CultureInfo.InvariantCulture) + JsonSuffix;

    /// <summary>The message id in a name <c>message_&lt;digits&gt;.json</c>, or null for any other name.</summary>
    public static int? TryParseMessageFile(string name)
    {
        if (!name.StartsWith(MessagePrefix, StringComparison.Ordinal) || !name.EndsWith(JsonSuffix, StringComparison.Ordinal))
        {
            return null;
        }

        var digits = name.AsSpan(MessagePrefix.Length, name.Length - MessagePrefix.Length - JsonSuffix.Length);
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }
}
