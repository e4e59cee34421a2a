using System.Text.Json;
using Strands.Content;

namespace Strands.Models;

/// <summary>
/// A model provider the agent talks to: it streams one model turn as Converse-shaped <see cref="StreamEvent"/>s.
/// Implementations are thread-safe; one instance may serve many agents and calls at once.
/// </summary>
public interface IModel
{
    /// <summary>The current configuration. A new record replaces it on every update; it is never mutated.</summary>
    ModelConfig Config { get; }

    /// <summary>
    /// Replaces the configuration with the one <paramref name="update"/> returns. Takes effect from the next request;
    /// thread-safe. An invalid configuration throws <see cref="ArgumentException"/> and the old one stays.
    /// </summary>
    /// <param name="update">Computes the new configuration from the current one, e.g. <c>c =&gt; c with { Temperature = 0.2 }</c>.</param>
    void UpdateConfig(Func<ModelConfig, ModelConfig> update);

    /// <summary>
    /// Streams one model turn: <see cref="MessageStartEvent"/>, content block start/delta/stop events,
    /// <see cref="MessageStopEvent"/>, <see cref="MetadataEvent"/>, and <see cref="RedactContentEvent"/> when a guardrail
    /// blocked content.
    /// </summary>
    /// <param name="messages">The conversation so far. Never modified.</param>
    /// <param name="toolSpecs">The tools the model may use.</param>
    /// <param name="systemPrompt">The system prompt: text blocks, possibly with cache points.</param>
    /// <param name="toolChoice">How the model must choose a tool; auto when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The events of the turn, in order.</returns>
    IAsyncEnumerable<StreamEvent> StreamAsync(
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs = null,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        ToolChoice? toolChoice = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the model for a <typeparamref name="T"/>: the model is forced to call a tool whose input schema is the
    /// schema of <typeparamref name="T"/>, and the tool input is deserialised.
    /// </summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="messages">The conversation, ending with the request.</param>
    /// <param name="systemPrompt">The system prompt.</param>
    /// <param name="serializerOptions">Options with type information for <typeparamref name="T"/> (required for Native AOT); the web defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deserialised output.</returns>
    /// <exception cref="StructuredOutputException">The model did not call the tool, or its input does not fit <typeparamref name="T"/>.</exception>
    Task<T> StructuredOutputAsync<T>(
        IReadOnlyList<Message> messages,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        JsonSerializerOptions? serializerOptions = null,
        CancellationToken cancellationToken = default)
        => StructuredOutput.InvokeAsync<T>(this, messages, systemPrompt, serializerOptions, cancellationToken);

    /// <summary>
    /// Asks the model, or what it wraps, for an object of <paramref name="serviceType"/>: <see cref="ModelMetadata"/>
    /// (who serves it), the model itself or a decorator of a given type, or what it is built on (e.g. a
    /// <c>BedrockModel</c>'s <c>IBedrockRuntimeClient</c>). Layers ask through this instead of casting, as with
    /// Microsoft.Extensions.AI's <c>IChatClient.GetService</c>.
    /// </summary>
    /// <param name="serviceType">The type asked for.</param>
    /// <param name="serviceKey">A key for keyed services; null for none.</param>
    /// <returns>The object, or null when the model has none. By default: the model itself when it is of that type.</returns>
    object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }
}
