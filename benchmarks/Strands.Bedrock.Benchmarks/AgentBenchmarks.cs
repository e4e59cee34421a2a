using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Strands.Agents;
using Strands.Content;
using Strands.Models;
using Strands.Tools;

namespace Strands.Benchmarks;

/// <summary>
/// The agent's own cost, over an in-memory model that replays prepared events (so the model costs next to nothing):
/// one invocation with two model calls and one tool, and one model turn of 100,000 text deltas.
/// </summary>
[MemoryDiagnoser]
public class AgentBenchmarks
{
    /// <summary>Text deltas in the long turn.</summary>
    public const int DeltaCount = 100_000;

    private ReplayModel _toolModel = null!;
    private ReplayModel _deltaModel = null!;
    private IReadOnlyList<AgentTool> _tools = [];

    /// <summary>Prepares the scripted turns and the tool.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var usage = new MetadataEvent { Usage = new TokenUsage { InputTokens = 10, OutputTokens = 5, TotalTokens = 15 }, Metrics = new ConverseMetrics { LatencyMs = 1 } };
        StreamEvent[] toolTurn =
        [
            new MessageStartEvent(),
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = "Let me add that." } },
            new ContentBlockStopEvent(),
            new ContentBlockStartEvent { ContentBlockIndex = 1, Start = new ContentBlockStart { ToolUse = new ToolUseBlockStart { ToolUseId = "t1", Name = "add" } } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 1, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = """{"a":2,""" } } },
            new ContentBlockDeltaEvent { ContentBlockIndex = 1, Delta = new ContentBlockDelta { ToolUse = new ToolUseBlockDelta { Input = "\"b\":3}" } } },
            new ContentBlockStopEvent { ContentBlockIndex = 1 },
            new MessageStopEvent { StopReason = StopReason.ToolUse },
            usage,
        ];
        StreamEvent[] answerTurn =
        [
            new MessageStartEvent(),
            new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = "2 + 3 = 5" } },
            new ContentBlockStopEvent(),
            new MessageStopEvent { StopReason = StopReason.EndTurn },
            usage,
        ];
        _toolModel = new ReplayModel([toolTurn, answerTurn]);

        var deltas = new List<StreamEvent>(DeltaCount + 4) { new MessageStartEvent() };
        for (var i = 0; i < DeltaCount; i++)
        {
            deltas.Add(new ContentBlockDeltaEvent { Delta = new ContentBlockDelta { Text = "tok " } });
        }

        deltas.AddRange([new ContentBlockStopEvent(), new MessageStopEvent { StopReason = StopReason.EndTurn }, usage]);
        _deltaModel = new ReplayModel([[.. deltas]]);
        _tools = [AgentTool.FromMethod((int a, int b) => a + b, name: "add", description: "Adds two integers.")];
    }

    /// <summary>A fresh agent answers one prompt: model call, tool call, model call.</summary>
    /// <returns>The result.</returns>
    [Benchmark]
    public Task<AgentResult> InvocationWithOneToolRoundTrip() =>
        new Agent(_toolModel, new AgentOptions { Tools = _tools, CallbackHandler = null }).InvokeAsync("What is 2 + 3?");

    /// <summary>One model turn of 100,000 text deltas, consumed through <see cref="Agent.StreamAsync(string, CancellationToken)"/>.</summary>
    /// <returns>The number of text deltas seen.</returns>
    [Benchmark]
    public async Task<int> StreamHundredThousandDeltas()
    {
        var agent = new Agent(_deltaModel, new AgentOptions { CallbackHandler = null });
        var count = 0;
        await foreach (var e in agent.StreamAsync("Go"))
        {
            if (e is TextDeltaEvent)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>An <see cref="IModel"/> that replays prepared turns in a cycle, synchronously.</summary>
    private sealed class ReplayModel(StreamEvent[][] turns) : IModel
    {
        private int _next;

        public ModelConfig Config { get; } = new BedrockModelConfig();

        public void UpdateConfig(Func<ModelConfig, ModelConfig> update)
        {
        }

        public async IAsyncEnumerable<StreamEvent> StreamAsync(
            IReadOnlyList<Message> messages,
            IReadOnlyList<ToolSpecification>? toolSpecs = null,
            IReadOnlyList<SystemContentBlock>? systemPrompt = null,
            ToolChoice? toolChoice = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var turn = turns[_next++ % turns.Length];
            foreach (var e in turn)
            {
                yield return e;
            }

            await Task.CompletedTask;
        }
    }
}
