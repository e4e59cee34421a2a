using System.Text.Json;
using Strands.Content;

namespace Strands.Models;

/// <summary>
/// A model that passes every call to an inner model: the base of decorators that add behaviour around a model, such
/// as <see cref="Telemetry.OpenTelemetryModel"/>, the way Microsoft.Extensions.AI's <c>DelegatingChatClient</c> is for
/// chat clients. Override what the decorator changes; disposing it disposes the inner model.
/// </summary>
public abstract class DelegatingModel : IModel, IDisposable
{
    /// <summary>Creates the decorator.</summary>
    /// <param name="innerModel">The model calls are passed to.</param>
    protected DelegatingModel(IModel innerModel)
    {
        ArgumentNullException.ThrowIfNull(innerModel);
        InnerModel = innerModel;
    }

    /// <summary>The model calls are passed to.</summary>
    protected IModel InnerModel { get; }

    /// <inheritdoc />
    public virtual ModelConfig Config => InnerModel.Config;

    /// <inheritdoc />
    public virtual void UpdateConfig(Func<ModelConfig, ModelConfig> update) => InnerModel.UpdateConfig(update);

    /// <inheritdoc />
    public virtual IAsyncEnumerable<StreamEvent> StreamAsync(
        IReadOnlyList<Message> messages,
        IReadOnlyList<ToolSpecification>? toolSpecs = null,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        ToolChoice? toolChoice = null,
        CancellationToken cancellationToken = default)
        => InnerModel.StreamAsync(messages, toolSpecs, systemPrompt, toolChoice, cancellationToken);

    /// <inheritdoc />
    /// <remarks>Goes through this model's <see cref="StreamAsync"/>, so the decorator applies to structured output too.</remarks>
    public virtual Task<T> StructuredOutputAsync<T>(
        IReadOnlyList<Message> messages,
        IReadOnlyList<SystemContentBlock>? systemPrompt = null,
        JsonSerializerOptions? serializerOptions = null,
        CancellationToken cancellationToken = default)
        => StructuredOutput.InvokeAsync<T>(this, messages, systemPrompt, serializerOptions, cancellationToken);

    /// <inheritdoc />
    /// <remarks>This decorator when it is of <paramref name="serviceType"/>; otherwise the inner model's answer.</remarks>
    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : InnerModel.GetService(serviceType, serviceKey);
    }

    /// <summary>Disposes the inner model.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the inner model when <paramref name="disposing"/>.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            (InnerModel as IDisposable)?.Dispose();
        }
    }
}
