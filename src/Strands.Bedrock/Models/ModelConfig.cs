namespace Strands.Models;

/// <summary>
/// The provider-neutral part of a model configuration. Providers derive their own sealed record
/// (e.g. <c>BedrockModelConfig</c>), so <c>config with { Temperature = 0.3 }</c> keeps the provider's settings.
/// </summary>
public abstract record ModelConfig
{
    /// <summary>The model to call.</summary>
    public string ModelId { get; init; } = "";

    /// <summary>The most tokens to generate; the model's default when null.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Randomness (0 to 1 on Bedrock); the model's default when null.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling (0 to 1); the model's default when null.</summary>
    public double? TopP { get; init; }

    /// <summary>Sequences that stop generation.</summary>
    public IReadOnlyList<string>? StopSequences { get; init; }
}
