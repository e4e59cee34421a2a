using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace Strands.Agents;

/// <summary>
/// Key-value state of an agent that lives outside the conversation (it is never sent to the model). Values are
/// stored as JSON, so they must be JSON-serialisable, and what is read back is always a copy. Thread-safe.
/// </summary>
public sealed class AgentState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonElement> _values = new(StringComparer.Ordinal);

    /// <summary>Creates an empty state.</summary>
    public AgentState()
    {
    }

    /// <summary>Creates a state with initial values.</summary>
    /// <param name="values">The values.</param>
    public AgentState(IEnumerable<KeyValuePair<string, JsonElement>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            Set(key, value);
        }
    }

    /// <summary>The keys.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_lock)
            {
                return [.. _values.Keys];
            }
        }
    }

    /// <summary>Stores a JSON value.</summary>
    /// <param name="key">A non-empty key.</param>
    /// <param name="value">The value; a detached copy is stored.</param>
    public void Set(string key, JsonElement value)
    {
        ValidateKey(key);
        var copy = value.ValueKind == JsonValueKind.Undefined ? default : value.Clone();
        lock (_lock)
        {
            _values[key] = copy;
        }
    }

    /// <summary>Stores a value as JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">A non-empty key.</param>
    /// <param name="value">The value.</param>
    /// <param name="serializerOptions">Options with type information for <typeparamref name="T"/> (required for Native AOT); the Microsoft.Extensions.AI defaults when null.</param>
    /// <exception cref="ArgumentException">The value is not JSON-serialisable.</exception>
    public void Set<T>(string key, T value, JsonSerializerOptions? serializerOptions = null)
    {
        ValidateKey(key);
        JsonElement element;
        try
        {
            var typeInfo = (JsonTypeInfo<T>)(serializerOptions ?? AIJsonUtilities.DefaultOptions).GetTypeInfo(typeof(T));
            element = JsonSerializer.SerializeToElement(value, typeInfo);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or InvalidCastException)
        {
            throw new ArgumentException($"Value is not JSON serializable: {typeof(T).Name}. Only JSON-compatible values are allowed.", nameof(value), ex);
        }

        lock (_lock)
        {
            _values[key] = element;
        }
    }

    /// <summary>Reads a value as JSON.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, or null when the key is absent.</returns>
    public JsonElement? Get(string key)
    {
        lock (_lock)
        {
            return _values.TryGetValue(key, out var value) ? value : null;
        }
    }

    /// <summary>Reads a value.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="serializerOptions">Options with type information for <typeparamref name="T"/>; the Microsoft.Extensions.AI defaults when null.</param>
    /// <returns>A copy of the value, or <c>default</c> when the key is absent.</returns>
    public T? Get<T>(string key, JsonSerializerOptions? serializerOptions = null)
    {
        if (Get(key) is not { } element)
        {
            return default;
        }

        var typeInfo = (JsonTypeInfo<T>)(serializerOptions ?? AIJsonUtilities.DefaultOptions).GetTypeInfo(typeof(T));
        return element.Deserialize(typeInfo);
    }

    /// <summary>Removes a value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>True when the key was present.</returns>
    public bool Delete(string key)
    {
        lock (_lock)
        {
            return _values.Remove(key);
        }
    }

    /// <summary>A snapshot of every value.</summary>
    /// <returns>The values by key.</returns>
    public IReadOnlyDictionary<string, JsonElement> GetAll()
    {
        lock (_lock)
        {
            return new Dictionary<string, JsonElement>(_values, StringComparer.Ordinal);
        }
    }

    private static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A state key must be a non-empty string.", nameof(key));
        }
    }
}
