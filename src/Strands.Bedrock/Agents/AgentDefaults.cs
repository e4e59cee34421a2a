using Strands.Models;

namespace Strands.Agents;

/// <summary>How an agent gets its model when it is given none, or only a model id.</summary>
internal static class AgentDefaults
{
    /// <summary>The default window of the sliding-window conversation manager.</summary>
    public const int WindowSize = 40;

    /// <summary>The agent name when none is given.</summary>
    public const string Name = "Strands Agents";

    /// <summary>The agent id when none is given.</summary>
    public const string AgentId = "default";

    /// <summary>
    /// Makes the model for a model id (null for the default model). Points at <c>BedrockModel</c> once it exists.
    /// </summary>
    public static Func<string?, IModel> ModelFactory { get; set; } =
        static _ => throw new InvalidOperationException("BedrockModel is not available yet; pass an IModel to the Agent constructor.");
}
