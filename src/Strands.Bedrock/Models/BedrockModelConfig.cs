using System.Text.Json;
using Strands.Content;

namespace Strands.Models;

/// <summary>
/// The configuration of a <see cref="BedrockModel"/>: the model, inference parameters, guardrail, prompt caching,
/// reasoning and extra request fields. Immutable; change it with <c>with</c> and <see cref="BedrockModel.UpdateConfig(Func{BedrockModelConfig, BedrockModelConfig})"/>.
/// </summary>
public sealed record BedrockModelConfig : ModelConfig
{
    /// <summary>The default model: Claude 3.7 Sonnet through the US cross-region inference profile.</summary>
    public const string DefaultModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";

    /// <summary>Creates a configuration for <see cref="DefaultModelId"/>.</summary>
    public BedrockModelConfig()
    {
        ModelId = DefaultModelId;
    }

    /// <summary>Use ConverseStream (true, the default) or Converse. Both yield the same events.</summary>
    public bool Streaming { get; init; } = true;

    /// <summary>Prompt caching: cache points after the system prompt and the tools, and automatic message caching.</summary>
    public CacheConfig? Cache { get; init; }

    /// <summary>The guardrail to apply, and how blocked content is redacted.</summary>
    public GuardrailConfig? Guardrail { get; init; }

    /// <summary>Extended thinking (sent as <c>thinking</c> in the additional model request fields).</summary>
    public ReasoningConfig? Reasoning { get; init; }

    /// <summary>Model-specific request fields (a JSON object), e.g. <c>{"top_k": 200}</c>.</summary>
    public JsonElement? AdditionalRequestFields { get; init; }

    /// <summary>JSON pointers of model-specific response fields to return, e.g. <c>/stop_sequence</c>.</summary>
    public IReadOnlyList<string>? AdditionalResponseFieldPaths { get; init; }

    /// <summary>A JSON object merged last into the request: any top-level Converse member, overriding what Strands built.</summary>
    public JsonElement? AdditionalArgs { get; init; }

    /// <summary>Whether tool results carry their status. <see cref="ToolResultStatusPolicy.Auto"/> keeps it for Claude models only.</summary>
    public ToolResultStatusPolicy IncludeToolResultStatus { get; init; } = ToolResultStatusPolicy.Auto;

    /// <summary>Ask the model to follow tool schemas strictly (<c>strict: true</c>, <c>additionalProperties: false</c>).</summary>
    public bool StrictTools { get; init; }

    /// <summary>The service tier (<c>priority</c>, <c>default</c>, <c>flex</c>, <c>reserved</c>).</summary>
    public ServiceTierType? ServiceTier { get; init; }
}

/// <summary>Whether tool results sent to the model carry their status.</summary>
public enum ToolResultStatusPolicy
{
    /// <summary>Keep the status for Claude models (model id contains <c>anthropic.claude</c>), remove it for the others.</summary>
    Auto,

    /// <summary>Always keep the status.</summary>
    Include,

    /// <summary>Always remove the status.</summary>
    Exclude,
}

/// <summary>Prompt caching for a <see cref="BedrockModel"/>.</summary>
public sealed record CacheConfig
{
    /// <summary>Append a cache point of this type after the system prompt.</summary>
    public CachePointType? SystemPrompt { get; init; }

    /// <summary>Append a cache point of this type after the tool specifications.</summary>
    public CachePointType? Tools { get; init; }

    /// <summary>
    /// Automatic message caching: remove the caller's message cache points and put one at the end of the last user
    /// message. <see cref="MessageCacheStrategy.Auto"/> does this only for Anthropic models.
    /// </summary>
    public MessageCacheStrategy? Messages { get; init; }
}

/// <summary>How messages are cached automatically.</summary>
public enum MessageCacheStrategy
{
    /// <summary>Cache for models that support it (model id contains <c>claude</c> or <c>anthropic</c>); do nothing otherwise.</summary>
    Auto,

    /// <summary>Always place the cache point, e.g. for an application inference profile ARN of a Claude model.</summary>
    Anthropic,
}

/// <summary>A Bedrock guardrail and how the agent redacts what it blocks.</summary>
public sealed record GuardrailConfig
{
    /// <summary>The default text that replaces blocked user input.</summary>
    public const string DefaultRedactInputMessage = "[User input redacted.]";

    /// <summary>The default text that replaces blocked assistant output.</summary>
    public const string DefaultRedactOutputMessage = "[Assistant output redacted.]";

    /// <summary>The guardrail's id or ARN. Set it together with <see cref="Version"/>: one without the other is rejected.</summary>
    public string? Id { get; init; }

    /// <summary>The guardrail's version, or <c>DRAFT</c>. Set it together with <see cref="Id"/>.</summary>
    public string? Version { get; init; }

    /// <summary>The trace mode (default <c>enabled</c>). Redaction needs a trace: with <c>disabled</c> nothing is redacted.</summary>
    public GuardrailTrace Trace { get; init; } = GuardrailTrace.Enabled;

    /// <summary>For streaming: <c>sync</c> holds the response until it is checked, <c>async</c> does not.</summary>
    public GuardrailStreamProcessingMode? StreamProcessingMode { get; init; }

    /// <summary>Replace the user input in the history when the guardrail blocked the input (default true).</summary>
    public bool RedactInput { get; init; } = true;

    /// <summary>The text that replaces blocked user input.</summary>
    public string RedactInputMessage { get; init; } = DefaultRedactInputMessage;

    /// <summary>Replace the assistant output when the guardrail blocked the output (default false).</summary>
    public bool RedactOutput { get; init; }

    /// <summary>The text that replaces blocked assistant output.</summary>
    public string RedactOutputMessage { get; init; } = DefaultRedactOutputMessage;

    /// <summary>Guard only the latest user message: its text and images are sent as guard content.</summary>
    public bool GuardLatestUserMessage { get; init; }
}

/// <summary>Extended thinking for models that support it.</summary>
public sealed record ReasoningConfig
{
    /// <summary>The least budget Bedrock accepts.</summary>
    public const int MinimumBudgetTokens = 1024;

    /// <summary>How many tokens the model may think with (at least 1024).</summary>
    public int BudgetTokens { get; init; } = MinimumBudgetTokens;
}
