using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Strands.Bedrock;
using Strands.Content;

namespace Strands.Models;

/// <summary>
/// An <see cref="IModel"/> over Amazon Bedrock's Converse and ConverseStream APIs, with Strands' request rules,
/// guardrail redaction, prompt caching and reasoning. Thread-safe; <see cref="UpdateConfig(Func{BedrockModelConfig, BedrockModelConfig})"/>
/// applies from the next request.
/// </summary>
public sealed partial class BedrockModel : IModel, IDisposable
{
    /// <summary>Phrases of Bedrock errors that mean the input does not fit the model's context window.</summary>
    internal static readonly string[] ContextWindowOverflowMessages =
    [
        "Input is too long for requested model",
        "input length and `max_tokens` exceed context limit",
        "too many total text bytes",
        "prompt is too long",
    ];

    /// <summary>The most stop sequences Bedrock accepts (<c>inferenceConfig.stopSequences</c>).</summary>
    internal const int MaxStopSequences = 2500;

    private const string ModelAccessDocs = "https://strandsagents.com/latest/user-guide/concepts/model-providers/amazon-bedrock/#model-access-issue";
    private const string OnDemandThroughputDocs = "https://strandsagents.com/latest/user-guide/concepts/model-providers/amazon-bedrock/#on-demand-throughput-isnt-supported";

    private readonly IBedrockRuntimeClient _client;
    private readonly BedrockRuntimeClient? _ownedClient;

    // Where requests go (region, endpoint) is known only of the library's own client: the one place that asks.
    private readonly BedrockRuntimeClient? _runtimeClient;
    private readonly ILogger _logger;
    private readonly BedrockRequestFormatter _formatter;
    private readonly Lock _configLock = new();
    private BedrockModelConfig _config;

    /// <summary>Creates a model that calls Bedrock with its own <see cref="BedrockRuntimeClient"/>.</summary>
    /// <param name="config">The model configuration; the defaults when null.</param>
    /// <param name="clientOptions">How to reach Bedrock (region, credentials, endpoint, retries); the defaults when null.</param>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public BedrockModel(BedrockModelConfig? config = null, BedrockClientOptions? clientOptions = null)
    {
        _config = Validate(config ?? new BedrockModelConfig());
        _ownedClient = new BedrockRuntimeClient(clientOptions);
        _client = _ownedClient;
        _runtimeClient = _ownedClient;
        _logger = (clientOptions?.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BedrockModel>();
        _formatter = new BedrockRequestFormatter(_logger);
    }

    /// <summary>Creates a model over a client of your own, e.g. a mock of <see cref="IBedrockRuntimeClient"/> in a unit test.</summary>
    /// <param name="client">The client. Not disposed by the model.</param>
    /// <param name="config">The model configuration; the defaults when null.</param>
    /// <param name="loggerFactory">Where to log.</param>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public BedrockModel(IBedrockRuntimeClient client, BedrockModelConfig? config = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _config = Validate(config ?? new BedrockModelConfig());
        _client = client;
        _runtimeClient = client as BedrockRuntimeClient;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BedrockModel>();
        _formatter = new BedrockRequestFormatter(_logger);
    }

    /// <summary>The current configuration.</summary>
    public BedrockModelConfig Config => Volatile.Read(ref _config);

    ModelConfig IModel.Config => Config;

    /// <summary>The client the model calls.</summary>
    public IBedrockRuntimeClient Client => _client;

    /// <summary>The region requests go to, when the client is the library's own <see cref="BedrockRuntimeClient"/>.</summary>
    public string? Region => _runtimeClient?.Region;

    /// <inheritdoc />
    /// <remarks>
    /// <see cref="ModelMetadata"/> (provider <c>aws.bedrock</c>, the model id, the client's endpoint), the
    /// <see cref="IBedrockRuntimeClient"/>, or the model itself.
    /// </remarks>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ModelMetadata))
        {
            return new ModelMetadata(ProviderName, Config.ModelId, _runtimeClient?.Endpoint);
        }

        return serviceType.IsInstanceOfType(this) ? this : serviceType.IsInstanceOfType(_client) ? _client : null;
    }

    /// <summary>The provider name of Amazon Bedrock in OpenTelemetry's gen_ai conventions.</summary>
    internal const string ProviderName = "aws.bedrock";

    /// <summary>
    /// Replaces the configuration with the one <paramref name="update"/> returns, from the next request on.
    /// Thread-safe. An invalid configuration throws and the old one stays.
    /// </summary>
    /// <param name="update">Computes the new configuration, e.g. <c>c =&gt; c with { Temperature = 0.3, TopP = 0.2 }</c>.</param>
    /// <exception cref="ArgumentException">The new configuration is invalid; the message names the field.</exception>
    public void UpdateConfig(Func<BedrockModelConfig, BedrockModelConfig> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_configLock)
        {
            var updated = Validate(update(_config) ?? throw new ArgumentException("The update returned no configuration.", nameof(update)));
            Volatile.Write(ref _config, updated);
        }
    }

    /// <summary>Replaces the configuration. Thread-safe; applies from the next request.</summary>
    /// <param name="config">The new configuration.</param>
    /// <exception cref="ArgumentException">The configuration is invalid; the message names the field.</exception>
    public void UpdateConfig(BedrockModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        UpdateConfig(_ => config);
    }

    void IModel.UpdateConfig(Func<ModelConfig, ModelConfig> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        UpdateConfig(current => update(current) as BedrockModelConfig
            ?? throw new ArgumentException("A BedrockModel's configuration must stay a BedrockModelConfig.", nameof(update)));
    }

    /// <inheritdoc />
    public IAsyncEnumerable<StreamEvent> StreamAsync(
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs = null,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        ToolChoice? toolChoice = null,
        CancellationToken cancellationToken = default)
        => StreamAsync(null, messages, toolSpecs, systemPrompt, toolChoice, cancellationToken);

    /// <summary>Streams one model turn with a configuration for this call only (already validated), e.g. from <c>ChatOptions</c>; the model's when null.</summary>
    internal async IAsyncEnumerable<StreamEvent> StreamAsync(
        BedrockModelConfig? config,
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs,
        IReadOnlyList<SystemContentBlock>? systemPrompt,
        ToolChoice? toolChoice,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("There are no messages to send: a Converse request needs at least one (a user message first).", nameof(messages));
        }

        config ??= Config;
        Log.FormattingRequest(_logger);
        var request = _formatter.Format(config, messages, toolSpecs, systemPrompt, toolChoice);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            Log.Request(_logger, System.Text.Json.JsonSerializer.Serialize(request, Bedrock.Json.BedrockJsonContext.Default.ConverseStreamRequest));
        }

        Log.InvokingModel(_logger, config.ModelId, config.Streaming);
        if (!config.Streaming)
        {
            ConverseResponse response;
            try
            {
                response = await _client.ConverseAsync(BedrockRequestFormatter.ToConverseRequest(request), cancellationToken).ConfigureAwait(false);
            }
            catch (BedrockRuntimeException ex)
            {
                throw Translate(ex, config);
            }

            Log.GotResponse(_logger);
            if (response.Output.Message is null)
            {
                throw new IncompleteResponseException("The Converse response has no output message: nothing of it was used.");
            }

            foreach (var streamEvent in ConverseResponseEvents.From(response, config.Guardrail))
            {
                yield return streamEvent;
            }

            Log.FinishedStreaming(_logger);
            yield break;
        }

        var stopped = false;
        var enumerator = _client.ConverseStreamAsync(request, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            var first = true;
            while (true)
            {
                StreamEvent streamEvent;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    streamEvent = enumerator.Current;
                }
                catch (BedrockRuntimeException ex)
                {
                    throw Translate(ex, config);
                }

                if (first)
                {
                    Log.GotResponse(_logger);
                    first = false;
                }

                if (streamEvent is MetadataEvent { Trace: { } trace })
                {
                    foreach (var redaction in GuardrailRedaction.EventsFor(trace, config.Guardrail))
                    {
                        yield return redaction;
                    }
                }

                stopped |= streamEvent is MessageStopEvent;
                yield return streamEvent;
            }
        }

        if (!stopped)
        {
            // A stream that closes cleanly before messageStop lost the rest of the answer: never a success.
            throw new IncompleteResponseException();
        }

        Log.FinishedStreaming(_logger);
    }

    /// <summary>Maps a Bedrock error to the exception the agent acts on, or adds hints to it.</summary>
    private Exception Translate(BedrockRuntimeException error, BedrockModelConfig config)
    {
        if (error is ThrottlingException || string.Equals(error.ErrorCode, "ThrottlingException", StringComparison.OrdinalIgnoreCase))
        {
            return new ModelThrottledException(error.Message, error);
        }

        foreach (var phrase in ContextWindowOverflowMessages)
        {
            if (error.Message.Contains(phrase, StringComparison.Ordinal))
            {
                Log.ContextWindowOverflow(_logger);
                return new ContextWindowOverflowException(error.Message, error);
            }
        }

        error.AddNote($"└ Bedrock region: {Region ?? "unknown"}");
        error.AddNote($"└ Model id: {config.ModelId}");
        if (error is AccessDeniedException && error.Message.Contains("You don't have access to the model", StringComparison.Ordinal))
        {
            error.AddNote($"└ For more information see {ModelAccessDocs}");
        }
        else if (error is ValidationException && error.Message.Contains("with on-demand throughput isn\u2019t supported", StringComparison.Ordinal))
        {
            error.AddNote($"└ For more information see {OnDemandThroughputDocs}");
        }

        return error;
    }

    internal static BedrockModelConfig Validate(BedrockModelConfig config)
    {
        if (string.IsNullOrWhiteSpace(config.ModelId))
        {
            throw new ArgumentException("BedrockModelConfig.ModelId must not be empty.", nameof(config));
        }

        if (config.MaxTokens is < 1)
        {
            throw new ArgumentException($"BedrockModelConfig.MaxTokens must be at least 1, got {config.MaxTokens}.", nameof(config));
        }

        if (config.Temperature is { } t && (double.IsNaN(t) || t < 0 || t > 1))
        {
            throw new ArgumentException($"BedrockModelConfig.Temperature must be between 0 and 1, got {t}.", nameof(config));
        }

        if (config.TopP is { } p && (double.IsNaN(p) || p < 0 || p > 1))
        {
            throw new ArgumentException($"BedrockModelConfig.TopP must be between 0 and 1, got {p}.", nameof(config));
        }

        if (config.Reasoning is { BudgetTokens: < ReasoningConfig.MinimumBudgetTokens } reasoning)
        {
            throw new ArgumentException($"BedrockModelConfig.Reasoning.BudgetTokens must be at least {ReasoningConfig.MinimumBudgetTokens}, got {reasoning.BudgetTokens}.", nameof(config));
        }

        if (config.StopSequences is { } stopSequences)
        {
            if (stopSequences.Count > MaxStopSequences)
            {
                throw new ArgumentException($"BedrockModelConfig.StopSequences has {stopSequences.Count} entries; Bedrock accepts at most {MaxStopSequences}.", nameof(config));
            }

            for (var i = 0; i < stopSequences.Count; i++)
            {
                if (string.IsNullOrEmpty(stopSequences[i]))
                {
                    throw new ArgumentException($"BedrockModelConfig.StopSequences[{i}] is empty; Bedrock requires every stop sequence to have at least one character.", nameof(config));
                }
            }
        }

        if (config.Guardrail is { } guardrail)
        {
            ValidateGuardrail(guardrail, nameof(config));
        }

        if (config.AdditionalRequestFields is { ValueKind: not System.Text.Json.JsonValueKind.Object })
        {
            throw new ArgumentException("BedrockModelConfig.AdditionalRequestFields must be a JSON object.", nameof(config));
        }

        if (config.AdditionalArgs is { ValueKind: not System.Text.Json.JsonValueKind.Object })
        {
            throw new ArgumentException("BedrockModelConfig.AdditionalArgs must be a JSON object.", nameof(config));
        }

        return config;
    }

    private static void ValidateGuardrail(GuardrailConfig guardrail, string paramName)
    {
        var hasId = !string.IsNullOrWhiteSpace(guardrail.Id);
        var hasVersion = !string.IsNullOrWhiteSpace(guardrail.Version);
        if (hasId && !hasVersion)
        {
            throw new ArgumentException("BedrockModelConfig.Guardrail has an Id but no Version, so the guardrail would not be applied; set Version too (a version number or \"DRAFT\").", paramName);
        }

        if (hasVersion && !hasId)
        {
            throw new ArgumentException("BedrockModelConfig.Guardrail has a Version but no Id, so the guardrail would not be applied; set Id too (the guardrail's id or ARN).", paramName);
        }

        // The redaction texts replace content in the history, and Bedrock rejects blank text blocks.
        if (guardrail.RedactInput && string.IsNullOrWhiteSpace(guardrail.RedactInputMessage))
        {
            throw new ArgumentException("BedrockModelConfig.Guardrail.RedactInputMessage must not be blank while RedactInput is on: it replaces the blocked input in the history, and Bedrock rejects blank text.", paramName);
        }

        if (guardrail.RedactOutput && string.IsNullOrWhiteSpace(guardrail.RedactOutputMessage))
        {
            throw new ArgumentException("BedrockModelConfig.Guardrail.RedactOutputMessage must not be blank while RedactOutput is on: it replaces the blocked answer in the history, and Bedrock rejects blank text.", paramName);
        }
    }

    /// <summary>Disposes the client the model created; a client passed in is left alone.</summary>
    public void Dispose() => _ownedClient?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Debug, "formatting request")]
        public static partial void FormattingRequest(ILogger logger);

        [LoggerMessage(202, LogLevel.Trace, "request=<{Request}>")]
        public static partial void Request(ILogger logger, string request);

        [LoggerMessage(203, LogLevel.Debug, "invoking model {ModelId} (streaming: {Streaming})")]
        public static partial void InvokingModel(ILogger logger, string modelId, bool streaming);

        [LoggerMessage(204, LogLevel.Debug, "got response from model")]
        public static partial void GotResponse(ILogger logger);

        [LoggerMessage(205, LogLevel.Debug, "finished streaming response from model")]
        public static partial void FinishedStreaming(ILogger logger);

        [LoggerMessage(206, LogLevel.Warning, "bedrock threw context window overflow error")]
        public static partial void ContextWindowOverflow(ILogger logger);
    }
}
