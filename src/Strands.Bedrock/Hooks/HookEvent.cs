using Strands.Agents;

namespace Strands.Hooks;

/// <summary>
/// Something that happened in an agent, delivered to the callbacks registered for its exact type. Events are mutable
/// only where a callback may steer the agent (for example <see cref="AfterModelCallEvent.Retry"/>).
/// </summary>
public abstract class HookEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="agent">The agent the event belongs to.</param>
    protected HookEvent(Agent agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Agent = agent;
    }

    /// <summary>The agent the event belongs to.</summary>
    public Agent Agent { get; }

    /// <summary>
    /// True for "after" events, whose callbacks run in reverse registration order, so that a provider registered
    /// first sees the "before" event first and the "after" event last, like nested middleware.
    /// </summary>
    public virtual bool ReverseCallbackOrder => false;
}
