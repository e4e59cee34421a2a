namespace Strands.Models;

/// <summary>Typed helpers over <see cref="IModel"/>.</summary>
public static class ModelExtensions
{
    /// <summary>Asks the model, or what it wraps, for a <typeparamref name="TService"/> (<see cref="IModel.GetService"/>).</summary>
    /// <typeparam name="TService">The type asked for, e.g. <see cref="ModelMetadata"/>.</typeparam>
    /// <param name="model">The model.</param>
    /// <param name="serviceKey">A key for keyed services; null for none.</param>
    /// <returns>The object, or null.</returns>
    public static TService? GetService<TService>(this IModel model, object? serviceKey = null)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.GetService(typeof(TService), serviceKey) as TService;
    }
}
