using Strands.Bedrock;
using Strands.Models;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// What <c>AddStrandsBedrock</c> registers: how the client reaches Bedrock and how the model is configured. Set it
/// from code, or from a configuration section whose keys are the names of these properties, e.g.
/// <code>
/// "Strands": { "Bedrock": { "ModelId": "us.amazon.nova-pro-v1:0", "Region": "us-east-1", "Temperature": 0.3, "MaxTokens": 2048 } }
/// </code>
/// Invalid values fail at start (with <c>ValidateOnStart</c>) and the error names the key.
/// </summary>
public sealed class StrandsBedrockOptions
{
    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> the client sends with: <c>Strands.Bedrock</c> (keyed registrations append <c>:{key}</c>).</summary>
    public const string DefaultHttpClientName = "Strands.Bedrock";

    /// <summary>The model id or inference profile (key <c>ModelId</c>); <see cref="BedrockModelConfig.DefaultModelId"/> by default.</summary>
    public string ModelId { get; set; } = BedrockModelConfig.DefaultModelId;

    /// <summary>The AWS region (key <c>Region</c>); resolved as the AWS SDKs do when null.</summary>
    public string? Region { get; set; }

    /// <summary>The shared config/credentials profile to take credentials and region from (key <c>Profile</c>).</summary>
    public string? Profile { get; set; }

    /// <summary>An explicit endpoint, e.g. a VPC endpoint (key <c>Endpoint</c>, an absolute http or https URI).</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Use the region's FIPS endpoint (key <c>UseFipsEndpoint</c>).</summary>
    public bool UseFipsEndpoint { get; set; }

    /// <summary>Attempts per call including the first (key <c>MaxAttempts</c>); 3 when null.</summary>
    public int? MaxAttempts { get; set; }

    /// <summary>How long to wait for a connection (key <c>ConnectTimeout</c>: <c>00:00:10</c> or seconds); 10 s when null.</summary>
    public TimeSpan? ConnectTimeout { get; set; }

    /// <summary>How long to wait for response data (key <c>ReadTimeout</c>: <c>00:02:00</c> or seconds); 120 s when null.</summary>
    public TimeSpan? ReadTimeout { get; set; }

    /// <summary>The most tokens to generate (key <c>MaxTokens</c>); the model's default when null.</summary>
    public int? MaxTokens { get; set; }

    /// <summary>Randomness, 0 to 1 (key <c>Temperature</c>); the model's default when null.</summary>
    public double? Temperature { get; set; }

    /// <summary>Nucleus sampling, 0 to 1 (key <c>TopP</c>); the model's default when null.</summary>
    public double? TopP { get; set; }

    /// <summary>Sequences that stop generation (key <c>StopSequences</c>, an array).</summary>
    public IList<string>? StopSequences { get; set; }

    /// <summary>Use ConverseStream (true, the default) or Converse (key <c>Streaming</c>).</summary>
    public bool Streaming { get; set; } = true;

    /// <summary>
    /// The named <see cref="System.Net.Http.HttpClient"/> to send with (key <c>HttpClientName</c>); when null,
    /// <see cref="DefaultHttpClientName"/> (plus <c>:{key}</c> for a keyed registration), which is registered with
    /// Bedrock's transport settings and can be extended with <c>services.AddHttpClient(name)</c>. Its handlers must not sign.
    /// </summary>
    public string? HttpClientName { get; set; }

    /// <summary>Code-only: adjusts the model configuration built from these options (guardrail, caching, reasoning, …).</summary>
    public Func<BedrockModelConfig, BedrockModelConfig>? ConfigureModel { get; set; }

    /// <summary>Code-only: adjusts the client options built from these options (credentials, bearer token, …).</summary>
    public Func<BedrockClientOptions, BedrockClientOptions>? ConfigureClient { get; set; }

    /// <summary>The configuration section the options were read from, to name keys in errors.</summary>
    internal string? ConfigurationPath { get; set; }

    /// <summary>Values of the configuration section that could not be read, by key.</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    /// <summary>The model configuration these options describe.</summary>
    internal BedrockModelConfig ToModelConfig()
    {
        var config = new BedrockModelConfig
        {
            ModelId = ModelId,
            MaxTokens = MaxTokens,
            Temperature = Temperature,
            TopP = TopP,
            StopSequences = StopSequences is { Count: > 0 } stops ? [.. stops] : null,
            Streaming = Streaming,
        };
        return ConfigureModel?.Invoke(config) ?? config;
    }

    /// <summary>The name of a key in error messages: its configuration path, or the property name.</summary>
    internal string KeyName(string key) => ConfigurationPath is { Length: > 0 } path ? $"{path}:{key}" : $"{nameof(StrandsBedrockOptions)}.{key}";
}
