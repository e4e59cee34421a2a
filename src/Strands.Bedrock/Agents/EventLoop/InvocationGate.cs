namespace Strands.Agents;

/// <summary>
/// Lets one invocation (or recorded direct tool call) run on an agent at a time, and carries
/// <see cref="Agent.Cancel"/>'s request to the running invocation.
/// </summary>
internal sealed class InvocationGate
{
    private int _busy;
    private volatile bool _cancelRequested;

    /// <summary>Whether <see cref="Agent.Cancel"/> was called since the last invocation ended.</summary>
    public bool CancelRequested => _cancelRequested;

    /// <summary>Takes the gate; false when an invocation holds it.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    /// <summary>Releases the gate after an invocation, which consumes a pending cancel request.</summary>
    public void ExitInvocation()
    {
        _cancelRequested = false;
        Volatile.Write(ref _busy, 0);
    }

    /// <summary>Releases the gate after a direct tool call, which leaves a cancel request for the next invocation.</summary>
    public void ExitToolCall() => Volatile.Write(ref _busy, 0);

    /// <summary>Asks the running (or next) invocation to stop.</summary>
    public void RequestCancel() => _cancelRequested = true;
}
