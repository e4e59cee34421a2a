using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Strands.Content;
using Strands.Models;

namespace Strands.ChatClients;

/// <summary>
/// An <see cref="IModel"/> over any Microsoft.Extensions.AI <see cref="IChatClient"/> (OpenAI, Azure OpenAI, Ollama,
/// or a Bedrock one), so that an <c>Agent</c> runs on any provider. The agent's tools are offered as function
/// declarations and run by the agent, never by the client; the client's updates are turned into Converse-shaped
/// <see cref="StreamEvent"/>s. Thread-safe when the client is.
/// </summary>
/// <remarks>
/// Usage is mapped so that <see cref="TokenUsage.InputTokens"/> excludes the tokens the provider read from its
/// cache, which are reported as <see cref="TokenUsage.CacheReadInputTokens"/>. The client is not disposed by the model.
/// </remarks>
public sealed class ChatClientModel : IModel
{
    private readonly Lock _configLock = new();
    private ChatClientModelConfig _config;

    /// <summary>Creates a model over a chat client.</summary>
    /// <param name="chatClient">The client. Not disposed by the model.</param>
    /// <param name="config">The configuration; when null, the model id is the client's default (from its <see cref="ChatClientMetadata"/>).</param>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public ChatClientModel(IChatClient chatClient, ChatClientModelConfig? config = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        ChatClient = chatClient;
        Metadata = chatClient.GetService<ChatClientMetadata>();
        _config = Validate(config ?? new ChatClientModelConfig { ModelId = Metadata?.DefaultModelId ?? string.Empty });
    }

    /// <summary>The client the model calls.</summary>
    public IChatClient ChatClient { get; }

    /// <summary>The current configuration.</summary>
    public ChatClientModelConfig Config => Volatile.Read(ref _config);

    ModelConfig IModel.Config => Config;

    /// <summary>What the client says about itself (provider name and address), read once; for telemetry.</summary>
    internal ChatClientMetadata? Metadata { get; }

    /// <inheritdoc />
    /// <remarks><see cref="ModelMetadata"/> from the chat client's <see cref="ChatClientMetadata"/>, the model itself, or what the chat client offers.</remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(ModelMetadata))
        {
            var modelId = Config.ModelId;
            return new ModelMetadata(
                Metadata?.ProviderName ?? "unknown",
                string.IsNullOrEmpty(modelId) ? Metadata?.DefaultModelId ?? string.Empty : modelId,
                Metadata?.ProviderUri);
        }

        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : ChatClient.GetService(serviceType, serviceKey);
    }

    /// <summary>Replaces the configuration, from the next request on. Thread-safe; an invalid configuration throws and the old one stays.</summary>
    /// <param name="update">Computes the new configuration, e.g. <c>c =&gt; c with { Temperature = 0.2 }</c>.</param>
    /// <exception cref="ArgumentException">The new configuration is invalid.</exception>
    public void UpdateConfig(Func<ChatClientModelConfig, ChatClientModelConfig> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_configLock)
        {
            var updated = Validate(update(_config) ?? throw new ArgumentException("The update returned no configuration.", nameof(update)));
            Volatile.Write(ref _config, updated);
        }
    }

    void IModel.UpdateConfig(Func<ModelConfig, ModelConfig> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        UpdateConfig(current => update(current) as ChatClientModelConfig
            ?? throw new ArgumentException("A ChatClientModel's configuration must stay a ChatClientModelConfig.", nameof(update)));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StreamEvent> StreamAsync(
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs = null,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        ToolChoice? toolChoice = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var config = Config;
        var chatMessages = ChatMessageMapper.FromConverse(messages, systemPrompt);
        var options = OptionsFor(config, toolSpecs, toolChoice);
        var start = Stopwatch.GetTimestamp();
        var builder = new StreamEventBuilder();

        yield return new MessageStartEvent { Role = ConversationRole.Assistant };
        if (config.Streaming)
        {
            await foreach (var update in ChatClient.GetStreamingResponseAsync(chatMessages, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents)
                {
                    foreach (var streamEvent in builder.Add(content))
                    {
                        yield return streamEvent;
                    }
                }

                builder.FinishReason = update.FinishReason ?? builder.FinishReason;
            }
        }
        else
        {
            var response = await ChatClient.GetResponseAsync(chatMessages, options, cancellationToken).ConfigureAwait(false);
            foreach (var message in response.Messages)
            {
                foreach (var content in message.Contents)
                {
                    foreach (var streamEvent in builder.Add(content))
                    {
                        yield return streamEvent;
                    }
                }
            }

            builder.FinishReason = response.FinishReason;
            if (response.Usage is { } usage)
            {
                builder.AddUsage(usage);
            }
        }

        foreach (var streamEvent in builder.Finish((long)Stopwatch.GetElapsedTime(start).TotalMilliseconds))
        {
            yield return streamEvent;
        }
    }

    private static ChatOptions OptionsFor(ChatClientModelConfig config, IReadOnlyList<ToolSpecification>? toolSpecs, ToolChoice? toolChoice)
    {
        var options = config.Options?.Clone() ?? new ChatOptions();
        options.ModelId = string.IsNullOrEmpty(config.ModelId) ? options.ModelId : config.ModelId;
        options.MaxOutputTokens = config.MaxTokens ?? options.MaxOutputTokens;
        options.Temperature = config.Temperature is { } temperature ? (float)temperature : options.Temperature;
        options.TopP = config.TopP is { } topP ? (float)topP : options.TopP;
        options.TopK = config.TopK ?? options.TopK;
        if (config.StopSequences is { Count: > 0 } stops)
        {
            options.StopSequences = [.. stops];
        }

        options.Tools = ChatMessageMapper.ToDeclarations(toolSpecs);
        options.ToolMode = options.Tools is null ? null : ChatMessageMapper.ToToolMode(toolChoice) ?? ChatToolMode.Auto;
        return options;
    }

    private static ChatClientModelConfig Validate(ChatClientModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.MaxTokens is < 1)
        {
            throw new ArgumentException($"ChatClientModelConfig.MaxTokens must be at least 1, got {config.MaxTokens}.", nameof(config));
        }

        if (config.Temperature is { } t && (double.IsNaN(t) || t < 0))
        {
            throw new ArgumentException($"ChatClientModelConfig.Temperature must not be negative, got {t}.", nameof(config));
        }

        if (config.TopP is { } p && (double.IsNaN(p) || p < 0 || p > 1))
        {
            throw new ArgumentException($"ChatClientModelConfig.TopP must be between 0 and 1, got {p}.", nameof(config));
        }

        if (config.TopK is < 1)
        {
            throw new ArgumentException($"ChatClientModelConfig.TopK must be at least 1, got {config.TopK}.", nameof(config));
        }

        return config;
    }
}
