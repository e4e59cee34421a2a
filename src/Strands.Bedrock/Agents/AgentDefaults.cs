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

    /// <summary>Makes the model for a model id: a <see cref="BedrockModel"/>, with its default model when the id is null.</summary>
    /// <param name="modelId">The model id, or null.</param>
    public static IModel CreateModel(string? modelId) =>
        modelId is null ? new BedrockModel() : new BedrockModel(new BedrockModelConfig { ModelId = modelId });
}
