namespace Strands.Hooks;

/// <summary>A component that registers hook callbacks on an agent, e.g. a retry strategy or a conversation manager.</summary>
public interface IHookProvider
{
    /// <summary>Adds this provider's callbacks to <paramref name="registry"/>.</summary>
    /// <param name="registry">The agent's hook registry.</param>
    void RegisterHooks(HookRegistry registry);
}
