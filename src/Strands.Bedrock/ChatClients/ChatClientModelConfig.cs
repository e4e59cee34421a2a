using Microsoft.Extensions.AI;
using Strands.Models;

namespace Strands.ChatClients;

/// <summary>
/// The configuration of a <see cref="ChatClientModel"/>. <see cref="ModelConfig.ModelId"/> goes to
/// <see cref="ChatOptions.ModelId"/> (empty: the client's default model), and the inference parameters to their
/// <see cref="ChatOptions"/> counterparts. Immutable; change it with <c>with</c>.
/// </summary>
public sealed record ChatClientModelConfig : ModelConfig
{
    /// <summary>Use the client's streaming API (true, the default) or its non-streaming one. Both yield the same events.</summary>
    public bool Streaming { get; init; } = true;

    /// <summary>Top-K sampling (<see cref="ChatOptions.TopK"/>); the model's default when null.</summary>
    public int? TopK { get; init; }

    /// <summary>
    /// A template for settings this record does not model (reasoning, seed, penalties, response format,
    /// additional properties, …). It is cloned for every call and never changed; the model then sets the model id,
    /// the inference parameters above, the tools and the tool mode.
    /// </summary>
    public ChatOptions? Options { get; init; }
}
