using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Bedrock;
using Strands.Content;
using Strands.Models;

namespace Strands.ChatClients;

/// <summary>
/// A <see cref="BedrockModel"/> seen as a Microsoft.Extensions.AI <see cref="IChatClient"/>. Requests go through the
/// model, so its configuration (guardrail, caching, reasoning, extra fields, streaming or not) applies, with the
/// <see cref="ChatOptions"/> of a call layered on top for that call only. Thread-safe; disposing it leaves the model alone.
/// </summary>
internal sealed class BedrockChatClient : IChatClient
{
    /// <summary>The <c>gen_ai.provider.name</c> of Amazon Bedrock.</summary>
    public const string ProviderName = BedrockModel.ProviderName;

    private readonly BedrockModel _model;

    public BedrockChatClient(BedrockModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var config = ConfigFor(options);
        var converseMessages = ChatMessageMapper.ToConverse(messages, options?.Instructions, out var system);
        var toolSpecs = options?.ToolMode is NoneChatToolMode ? null : ChatMessageMapper.ToToolSpecs(options?.Tools);
        var toolChoice = toolSpecs is null ? null : ChatMessageMapper.ToToolChoice(options?.ToolMode);

        var converter = new UpdateBuilder(Guid.NewGuid().ToString("N"), config.ModelId, DateTimeOffset.UtcNow);
        await foreach (var streamEvent in _model.StreamAsync(config, converseMessages, toolSpecs, system.Count > 0 ? system : null, toolChoice, cancellationToken).ConfigureAwait(false))
        {
            if (converter.Convert(streamEvent) is { } update)
            {
                yield return update;
            }
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            var metadata = _model.GetService<ModelMetadata>()!;
            return new ChatClientMetadata(metadata.ProviderName, metadata.ProviderUri, metadata.ModelId);
        }

        return serviceType.IsInstanceOfType(this) ? this : _model.GetService(serviceType);
    }

    /// <summary>Leaves the model alone: it belongs to whoever made it.</summary>
    public void Dispose()
    {
    }

    /// <summary>The model's configuration with the options of one call on top, validated.</summary>
    /// <exception cref="ArgumentException">The options make an invalid configuration (e.g. a temperature above 1).</exception>
    internal BedrockModelConfig ConfigFor(ChatOptions? options)
    {
        var config = options?.RawRepresentationFactory?.Invoke(this) as BedrockModelConfig ?? _model.Config;
        if (options is null)
        {
            return config;
        }

        var extra = new List<KeyValuePair<string, object?>>();
        if (options.TopK is { } topK)
        {
            extra.Add(new("top_k", topK));
        }

        if (options.AdditionalProperties is { Count: > 0 } additional)
        {
            extra.AddRange(additional);
        }

        config = config with
        {
            ModelId = string.IsNullOrWhiteSpace(options.ModelId) ? config.ModelId : options.ModelId,
            MaxTokens = options.MaxOutputTokens ?? config.MaxTokens,
            Temperature = options.Temperature ?? config.Temperature,
            TopP = options.TopP ?? config.TopP,
            StopSequences = options.StopSequences is { Count: > 0 } stops ? [.. stops] : config.StopSequences,
            AdditionalRequestFields = extra.Count > 0 ? ChatJson.Merge(config.AdditionalRequestFields, extra) : config.AdditionalRequestFields,
            Reasoning = options.Reasoning?.Effort switch
            {
                null => config.Reasoning,
                ReasoningEffort.None => null,
                ReasoningEffort.Low => new ReasoningConfig { BudgetTokens = ReasoningConfig.MinimumBudgetTokens },
                ReasoningEffort.Medium => new ReasoningConfig { BudgetTokens = 4096 },
                ReasoningEffort.High => new ReasoningConfig { BudgetTokens = 16384 },
                _ => new ReasoningConfig { BudgetTokens = 32768 },
            },
        };
        return BedrockModel.Validate(config);
    }

    /// <summary>
    /// Turns the events of one model turn into updates that share a response id and a message id, so that
    /// <c>ToChatResponseAsync()</c> merges them into one message. A tool call is emitted once, when its block ends.
    /// </summary>
    internal sealed class UpdateBuilder(string responseId, string modelId, DateTimeOffset createdAt)
    {
        private readonly StringBuilder _toolInput = new();
        private readonly StringBuilder _signature = new();
        private string? _toolUseId;
        private string? _toolName;

        public ChatResponseUpdate? Convert(StreamEvent streamEvent)
        {
            switch (streamEvent)
            {
                case ContentBlockStartEvent { Start.ToolUse: { } toolUse }:
                    _toolUseId = toolUse.ToolUseId;
                    _toolName = toolUse.Name;
                    _toolInput.Clear();
                    return null;

                case ContentBlockDeltaEvent { Delta: var delta }:
                    if (delta.Text is { Length: > 0 } text)
                    {
                        return Update(streamEvent, new TextContent(text) { RawRepresentation = streamEvent });
                    }

                    if (delta.ToolUse is { } input)
                    {
                        _toolInput.Append(input.Input);
                        return null;
                    }

                    if (delta.ReasoningContent is { } reasoning)
                    {
                        if (reasoning.Text is { Length: > 0 } reasoningText)
                        {
                            return Update(streamEvent, new TextReasoningContent(reasoningText) { RawRepresentation = streamEvent });
                        }

                        if (reasoning.Signature is { } signature)
                        {
                            _signature.Append(signature);
                            return null;
                        }

                        if (reasoning.RedactedContent is { Length: > 0 } redacted)
                        {
                            return Update(streamEvent, new TextReasoningContent(string.Empty) { ProtectedData = System.Convert.ToBase64String(redacted), RawRepresentation = streamEvent });
                        }
                    }

                    return null;

                case ContentBlockStopEvent:
                    if (_toolUseId is { } id)
                    {
                        var call = FunctionCallContent.CreateFromParsedArguments(_toolInput.ToString(), id, _toolName!, ParseArguments);
                        call.RawRepresentation = streamEvent;
                        _toolUseId = null;
                        _toolName = null;
                        _toolInput.Clear();
                        return Update(streamEvent, call);
                    }

                    if (_signature.Length > 0)
                    {
                        // Closes the reasoning block: merged with its text deltas into one TextReasoningContent.
                        var signed = new TextReasoningContent(string.Empty) { ProtectedData = _signature.ToString(), RawRepresentation = streamEvent };
                        _signature.Clear();
                        return Update(streamEvent, signed);
                    }

                    return null;

                case MessageStopEvent stop:
                    var finish = Update(streamEvent);
                    finish.FinishReason = ChatMessageMapper.ToFinishReason(stop.StopReason);
                    return finish;

                case MetadataEvent metadata:
                    return Update(streamEvent, new UsageContent(ChatMessageMapper.ToUsageDetails(metadata.Usage)) { RawRepresentation = metadata });

                default:
                    return null;
            }
        }

        private static Dictionary<string, object?> ParseArguments(string json)
        {
            if (string.IsNullOrWhiteSpace(json))
            {
                return [];
            }

            using var document = JsonDocument.Parse(json);
            return ChatJson.ElementToArguments(document.RootElement);
        }

        private ChatResponseUpdate Update(StreamEvent raw, params IList<AIContent> contents) => new(ChatRole.Assistant, [.. contents])
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = modelId,
            CreatedAt = createdAt,
            RawRepresentation = raw,
        };
    }
}
