using System.Runtime.CompilerServices;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Models;
using Strands.Telemetry;

namespace Strands.Agents;

/// <summary>
/// One invocation of an agent, as named steps: <see cref="StartAsync"/> (hooks, the input joins the history), cycles
/// of a <see cref="ModelTurn"/> and a <see cref="ToolRound"/>, structured output forcing, then
/// <see cref="FinishAsync"/> (conversation management, hooks, the result). Whatever ends the invocation — a result,
/// an exception, cancellation, a consumer that stops reading — the history is left valid
/// (<see cref="ConversationHistory"/>), and every event reaches the callback handler before the consumer.
/// </summary>
internal static class EventLoop
{
    /// <summary>The user message that asks the model for structured output when it answered without the tool.</summary>
    internal const string StructuredOutputPrompt = "You must format the previous response as structured output.";

    /// <summary>Runs one invocation and streams its events; the last is the <see cref="AgentResultEvent"/>.</summary>
    public static async IAsyncEnumerable<AgentEvent> RunAsync(
        Agent agent, IReadOnlyList<Message> input, StructuredOutputTool? structuredOutput, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!agent.Gate.TryEnter())
        {
            throw new ConcurrencyException();
        }

        AgentResult? result = null;
        try
        {
            await agent.InitializeAsync(cancellationToken).ConfigureAwait(false);
            var invocation = new Invocation(agent, structuredOutput, cancellationToken);
            var finished = false;
            try
            {
                await StartAsync(invocation, input).ConfigureAwait(false);
                while (result is null)
                {
                    var cycle = new Cycle(invocation);
                    await foreach (var agentEvent in cycle.RunAsync().ConfigureAwait(false))
                    {
                        agent.CallbackHandler?.Invoke(agentEvent);
                        yield return agentEvent;
                    }

                    result = cycle.Result;
                }

                finished = true;
                await FinishAsync(invocation, result).ConfigureAwait(false);
            }
            finally
            {
                if (!finished)
                {
                    await FinishAfterFailureAsync(invocation).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            agent.Gate.ExitInvocation();
        }

        var resultEvent = new AgentResultEvent(result);
        agent.CallbackHandler?.Invoke(resultEvent);
        yield return resultEvent;
    }

    /// <summary>Start: metrics, <see cref="BeforeInvocationEvent"/> (which may change the input), the input joins the history.</summary>
    private static async Task StartAsync(Invocation invocation, IReadOnlyList<Message> input)
    {
        var agent = invocation.Agent;
        if (input.Count == 0 && invocation.History.Messages.Count == 0)
        {
            throw new InvalidOperationException("The agent's history is empty, so there is nothing to answer: pass a prompt.");
        }

        agent.Metrics.StartInvocation();
        AgentLog.InvocationStarted(agent.Logger, agent.Name, agent.AgentId, invocation.History.Messages.Count);
        var before = await agent.Hooks.InvokeAsync(new BeforeInvocationEvent(agent, input), invocation.CancellationToken).ConfigureAwait(false);
        await invocation.History.AppendInputAsync(before.Messages, invocation.CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finish after a result: the conversation manager, then <see cref="AfterInvocationEvent"/>; their exceptions reach the caller.</summary>
    private static async Task FinishAsync(Invocation invocation, AgentResult result)
    {
        var agent = invocation.Agent;
        try
        {
            await agent.ConversationManager.ApplyManagementAsync(agent, invocation.CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await agent.Hooks.InvokeAsync(new AfterInvocationEvent(agent, result), invocation.CancellationToken).ConfigureAwait(false);
        }

        AgentLog.InvocationFinished(agent.Logger, agent.Name, agent.AgentId, result.StopReason.Value);
    }

    /// <summary>
    /// Finish after a failure: the history is repaired, then the conversation manager and
    /// <see cref="AfterInvocationEvent"/> (without a result) run; their own failures are logged, so the original
    /// exception is the one the caller sees.
    /// </summary>
    private static async Task FinishAfterFailureAsync(Invocation invocation)
    {
        var agent = invocation.Agent;
        await invocation.History.RepairAfterFailureAsync().ConfigureAwait(false);
        try
        {
            await agent.ConversationManager.ApplyManagementAsync(agent, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentLog.FinishAfterFailureFailed(agent.Logger, ex);
        }

        try
        {
            await agent.Hooks.InvokeAsync(new AfterInvocationEvent(agent, null), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            AgentLog.FinishAfterFailureFailed(agent.Logger, ex);
        }
    }

    /// <summary>
    /// One cycle: a model turn (or the tool uses the history already ends with), then the tools it asked for.
    /// <see cref="Result"/> is set when the cycle ends the invocation; null means another cycle follows.
    /// </summary>
    private sealed class Cycle(Invocation invocation)
    {
        public AgentResult? Result { get; private set; }

        public async IAsyncEnumerable<AgentEvent> RunAsync()
        {
            var agent = invocation.Agent;
            var start = agent.TimeProvider.GetTimestamp();
            agent.Metrics.StartCycle();
            try
            {
                var cancellationToken = invocation.CancellationToken;
                cancellationToken.ThrowIfCancellationRequested();
                // A history that ends with tool uses (given to the agent) has them run before the model is called.
                var (message, produced, stopReason) = (invocation.History.PendingToolUses, invocation.History.PendingToolUses, StopReason.ToolUse);
                if (message is null)
                {
                    var turn = new ModelTurn(invocation);
                    await foreach (var agentEvent in turn.RunAsync().ConfigureAwait(false))
                    {
                        yield return agentEvent;
                    }

                    if (turn.ContextReduced)
                    {
                        yield break;
                    }

                    (message, produced, stopReason) = (turn.Message!, turn.ProducedMessage!, turn.StopReason);
                }

                if (stopReason == StopReason.MaxTokens)
                {
                    AgentLog.MaxTokensReached(agent.Logger);
                    throw new MaxTokensReachedException(message);
                }

                if (stopReason == StopReason.ToolUse && message.HasToolUse())
                {
                    var round = new ToolRound(invocation, produced!);
                    await foreach (var agentEvent in round.RunAsync().ConfigureAwait(false))
                    {
                        yield return agentEvent;
                    }

                    Result = round.Result;
                    yield break;
                }

                Result = await EndTurnAsync(message, stopReason).ConfigureAwait(false);
            }
            finally
            {
                agent.Metrics.EndCycle(agent.TimeProvider.GetElapsedTime(start));
            }
        }

        /// <summary>
        /// The model answered without tools. With structured output asked for and not given, the next call forces
        /// the tool once (null: another cycle); otherwise the answer is the result.
        /// </summary>
        private async Task<AgentResult?> EndTurnAsync(Message message, StopReason stopReason)
        {
            if (invocation.StructuredOutput is null || stopReason != StopReason.EndTurn)
            {
                return new AgentResult(stopReason, message, invocation.Agent.Metrics, invocation.State);
            }

            if (invocation.StructuredOutputForced)
            {
                throw new StructuredOutputException("The model failed to invoke the structured output tool even after it was forced.");
            }

            invocation.StructuredOutputForced = true;
            await invocation.History.AppendAsync(Message.User(StructuredOutputPrompt), invocation.CancellationToken).ConfigureAwait(false);
            return null;
        }
    }
}
