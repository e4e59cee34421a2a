using Strands.Content;

namespace Strands.Tools;

/// <summary>
/// The tools of an agent, by name. Names are checked when a tool is registered: they must match
/// <c>^[a-zA-Z0-9_-]{1,64}$</c> and differ from every other name, also after '-' and '_' are treated alike.
/// Thread-safe; the specifications the model receives are computed once per change.
/// </summary>
public sealed class ToolRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AgentTool> _tools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _normalizedNames = new(StringComparer.Ordinal);
    private readonly List<AgentTool> _ordered = [];
    private ToolSpecification[] _specs = [];
    private string[] _names = [];

    /// <summary>The number of tools.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ordered.Count;
            }
        }
    }

    /// <summary>The tool names, in registration order.</summary>
    public IReadOnlyList<string> Names => Volatile.Read(ref _names);

    /// <summary>The specifications sent to the model, in registration order.</summary>
    public IReadOnlyList<ToolSpecification> Specs => Volatile.Read(ref _specs);

    /// <summary>Adds a tool.</summary>
    /// <param name="tool">The tool.</param>
    /// <exception cref="ArgumentException">The name is invalid or already taken.</exception>
    public void Register(AgentTool tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var spec = tool.Spec ?? throw new ArgumentException("The tool has no specification.", nameof(tool));
        var name = tool.Name;
        ToolNames.Validate(name);
        if (spec.Name != name)
        {
            throw new ArgumentException($"The tool name '{name}' differs from its specification's name '{spec.Name}'.", nameof(tool));
        }

        var normalized = name.Replace('-', '_');
        lock (_lock)
        {
            if (_tools.ContainsKey(name))
            {
                throw new ArgumentException($"Tool name '{name}' already exists. Cannot register tools with exact same name.", nameof(tool));
            }

            if (_normalizedNames.TryGetValue(normalized, out var existing))
            {
                throw new ArgumentException($"Tool name '{name}' already exists as '{existing}'. Cannot add a duplicate tool which differs by a '-' or '_'.", nameof(tool));
            }

            _tools.Add(name, tool);
            _normalizedNames.Add(normalized, name);
            _ordered.Add(tool);
            Publish();
        }
    }

    /// <summary>Adds tools, in order.</summary>
    /// <param name="tools">The tools.</param>
    /// <exception cref="ArgumentException">A name is invalid or already taken; the tools before it stay registered.</exception>
    public void Register(IEnumerable<AgentTool> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        foreach (var tool in tools)
        {
            Register(tool);
        }
    }

    /// <summary>Removes a tool.</summary>
    /// <param name="name">The tool's name.</param>
    /// <returns>True when the tool was registered.</returns>
    public bool Unregister(string name)
    {
        lock (_lock)
        {
            if (!_tools.Remove(name, out var tool))
            {
                return false;
            }

            _normalizedNames.Remove(name.Replace('-', '_'));
            _ordered.Remove(tool);
            Publish();
            return true;
        }
    }

    /// <summary>Finds a tool by its exact name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The tool, or null.</returns>
    public AgentTool? Find(string name)
    {
        lock (_lock)
        {
            return _tools.GetValueOrDefault(name);
        }
    }

    /// <summary>Finds a tool by its exact name, or with '_' standing for '-' (<c>some_thing</c> finds <c>some-thing</c>).</summary>
    internal AgentTool? FindForDirectCall(string name)
    {
        lock (_lock)
        {
            return _tools.GetValueOrDefault(name)
                ?? (_normalizedNames.TryGetValue(name.Replace('-', '_'), out var actual) ? _tools[actual] : null);
        }
    }

    private void Publish()
    {
        var specs = new ToolSpecification[_ordered.Count];
        var names = new string[_ordered.Count];
        for (var i = 0; i < specs.Length; i++)
        {
            specs[i] = Normalize(_ordered[i].Spec);
            names[i] = _ordered[i].Name;
        }

        Volatile.Write(ref _specs, specs);
        Volatile.Write(ref _names, names);
    }

    /// <summary>Gives a specification what Bedrock requires: a description and an object input schema.</summary>
    private static ToolSpecification Normalize(ToolSpecification spec)
    {
        if (!string.IsNullOrWhiteSpace(spec.Description) && spec.InputSchema.Json is { ValueKind: System.Text.Json.JsonValueKind.Object })
        {
            return spec;
        }

        return spec with
        {
            Description = string.IsNullOrWhiteSpace(spec.Description) ? spec.Name : spec.Description,
            InputSchema = spec.InputSchema.Json is { ValueKind: System.Text.Json.JsonValueKind.Object }
                ? spec.InputSchema
                : new ToolInputSchema { Json = JsonValues.Parse("""{"type":"object","properties":{}}""") },
        };
    }
}
