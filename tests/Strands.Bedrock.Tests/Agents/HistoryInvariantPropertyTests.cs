using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Agents;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Content;
using Strands.Conversation;
using Strands.Hooks;
using Strands.Models;
using Strands.Tests.TestUtilities;
using Strands.Tools;
using Xunit.Abstractions;

namespace Strands.Tests.Agents;

/// <summary>
/// The history invariants as a property: seeded random schedules of faults — HTTP 429 and 5xx, mid-stream throttling
/// and <c>modelStreamErrorException</c> frames, error frames, connections dropped at a random byte, responses cut short,
/// max_tokens stops, context overflows, cancellation at a random event (by token or <see cref="Agent.Cancel"/>) or
/// inside a tool, tools that throw or hang, hooks that throw, structured output, concurrent or sequential tools — run
/// through the whole stack against the strict in-process <see cref="FakeBedrockHandler"/>. After every invocation,
/// however it ended, the history must be one Bedrock accepts (<see cref="ConversationRules"/>), only documented
/// exception types may reach the caller, and a following normal invocation must succeed.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultScheduleCount"/> schedules. <c>STRANDS_PROPERTY_SCHEDULES</c> runs more (the long run),
/// <c>STRANDS_PROPERTY_SEED</c> sets the first seed: a failure prints its seed, and
/// <c>STRANDS_PROPERTY_SEED=&lt;seed&gt; STRANDS_PROPERTY_SCHEDULES=1</c> replays it.
/// </remarks>
public sealed class HistoryInvariantPropertyTests(ITestOutputHelper output)
{
    private const int DefaultScheduleCount = 2000;
    private const int DefaultSeed = 20_261_201;

    /// <summary>Bounds one invocation; a correct agent always ends far sooner, a hang fails the schedule instead of the run.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_fault_schedule_leaves_a_history_Bedrock_accepts_and_the_agent_usable()
    {
        var count = EnvironmentInt("STRANDS_PROPERTY_SCHEDULES", DefaultScheduleCount);
        var firstSeed = EnvironmentInt("STRANDS_PROPERTY_SEED", DefaultSeed);
        var failures = new List<string>();
        var tried = 0;
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var seed = firstSeed; seed < firstSeed + count && failures.Count < 3; seed++)
        {
            tried++;
            var schedule = new Schedule(seed);
            try
            {
                await schedule.RunAsync();
                foreach (var outcome in schedule.Outcomes)
                {
                    outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                }
            }
            catch (Exception ex)
            {
                failures.Add($"seed {seed}: {ex.GetType().Name}: {ex.Message}\n  schedule: {schedule.Description}\n  history: {schedule.HistoryDescription}\n{ex.StackTrace}");
            }
        }

        output.WriteLine($"History invariant property: {tried} fault schedules tried from seed {firstSeed}, {failures.Count} failed.");
        output.WriteLine("Invocation outcomes: " + string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(failures.Count == 0, $"Replay with STRANDS_PROPERTY_SEED=<seed> STRANDS_PROPERTY_SCHEDULES=1.\n{string.Join("\n\n", failures)}");
    }

    private static int EnvironmentInt(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    /// <summary>The structured output a schedule asks for.</summary>
    public sealed record Answer(string City, int Population);

    /// <summary>A hook failure the schedule planted.</summary>
    private sealed class PlantedHookException(string message) : Exception(message);

    /// <summary>A tool failure the schedule planted.</summary>
    private sealed class PlantedToolException(string message) : Exception(message);

    /// <summary>One seeded schedule: an agent, a few invocations each with its scripted responses and faults, then a normal invocation.</summary>
    private sealed class Schedule
    {
        private static readonly string StructuredOutputToolName = StructuredOutput.CreateToolSpec(typeof(Answer), AIJsonUtilities.DefaultOptions).Name;

        private readonly Random _random;
        private readonly FakeBedrockHandler _fake = new();
        private readonly List<string> _steps = [];
        private readonly Agent _agent;
        private int _nextToolUseId;
        private int _eventCount;
        private int _cancelAtEvent = -1;
        private bool _cancelByAgent;
        private bool _cancelledBySchedule;
        private string? _throwingHook;
        private int _hookThrowsAt;
        private int _hookCalls;
        private CancellationTokenSource _invocation = new();

        public Schedule(int seed)
        {
            _random = new Random(seed);
            var streaming = _random.Next(2) == 0;
            var model = new BedrockModel(
                new BedrockModelConfig { ModelId = "us.anthropic.claude-3-7-sonnet-20250219-v1:0", Streaming = streaming },
                _fake.CreateClientOptions(maxAttempts: 1));
            var clock = new AutoAdvancingTimeProvider();
            _agent = new Agent(model, new AgentOptions
            {
                CallbackHandler = OnEvent,
                Tools = Tools(),
                ConversationManager = _random.Next(3) == 0 ? new SlidingWindowConversationManager(_random.Next(2, 10)) : null,
                RetryStrategy = _random.Next(2) == 0 ? ModelRetryStrategy.None : new ModelRetryStrategy(maxAttempts: 3, timeProvider: clock),
                ToolExecutor = _random.Next(2) == 0 ? ToolExecutor.Concurrent : ToolExecutor.Sequential,
            });
            _agent.Hooks.AddCallback<MessageAddedEvent>(_ => MaybeThrow("MessageAdded"));
            _agent.Hooks.AddCallback<BeforeModelCallEvent>(_ => MaybeThrow("BeforeModelCall"));
            _agent.Hooks.AddCallback<AfterToolCallEvent>(_ => MaybeThrow("AfterToolCall"));
            _steps.Add($"streaming={streaming} executor={_agent.ToolExecutor.GetType().Name} retries={_agent.RetryStrategy.MaxAttempts} manager={_agent.ConversationManager.GetType().Name}");
        }

        public List<string> Outcomes { get; } = [];

        public string Description => string.Join(" | ", _steps);

        public string HistoryDescription => ConversationRules.Describe([.. _agent.Messages]);

        public async Task RunAsync()
        {
            var invocations = _random.Next(1, 5);
            for (var i = 0; i < invocations; i++)
            {
                await InvokeWithFaultsAsync();
                Check("after a faulty invocation");
            }

            // A normal invocation must now succeed against the strict fake.
            _fake.Reset();
            (_cancelAtEvent, _throwingHook) = (-1, null);
            _fake.Enqueue(FakeResponse.Text("All good."));
            var result = await _agent.InvokeAsync("Is everything all right?");
            Assert.Equal("All good.", result.ToString());
            Check("after the normal invocation");
        }

        private void Check(string when)
        {
            if (ConversationRules.FindViolation([.. _agent.Messages]) is { } violation)
            {
                throw new InvalidOperationException($"Invalid history {when}: {violation}");
            }
        }

        private async Task InvokeWithFaultsAsync()
        {
            _fake.Reset();
            _eventCount = 0;
            _hookCalls = 0;
            _cancelledBySchedule = false;
            _invocation = new CancellationTokenSource(HangGuard);
            _cancelAtEvent = _random.Next(4) == 0 ? _random.Next(0, 12) : -1;
            _cancelByAgent = _random.Next(2) == 0;
            _throwingHook = _random.Next(8) == 0 ? new[] { "MessageAdded", "BeforeModelCall", "AfterToolCall" }[_random.Next(3)] : null;
            _hookThrowsAt = _random.Next(3);
            var structured = _random.Next(6) == 0;
            var responses = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => NextResponse(structured)).ToList();
            if (_random.Next(10) < 7)
            {
                responses.Add(structured && _random.Next(2) == 0 ? StructuredOutputCall() : FakeResponse.Text("Here is my answer."));
            }

            _fake.Enqueue([.. responses]);
            var kind = structured ? "structured" : _agent.Messages.Count > 0 && _random.Next(6) == 0 ? "resume" : "prompt";
            _steps.Add($"invoke {kind} cancelAt={_cancelAtEvent}{(_cancelByAgent ? "(agent)" : "(token)")} hook={_throwingHook ?? "-"} responses={responses.Count}");
            string outcome;
            try
            {
                switch (kind)
                {
                    case "structured":
                        await _agent.StructuredOutputAsync<Answer>("Which city, and how many people?", cancellationToken: _invocation.Token);
                        break;
                    case "resume":
                        await _agent.InvokeAsync(_invocation.Token);
                        break;
                    default:
                        await _agent.InvokeAsync($"Question {_steps.Count}?", _invocation.Token);
                        break;
                }

                outcome = "completed";
            }
            catch (OperationCanceledException) when (_invocation.IsCancellationRequested)
            {
                outcome = _cancelledBySchedule ? "cancelled" : throw new TimeoutException($"The invocation did not end within {HangGuard}.");
            }
            catch (Exception ex) when (IsDocumented(ex))
            {
                outcome = ex.GetType().Name;
            }

            Outcomes.Add(outcome);
            _steps.Add($"→ {outcome}");
        }

        /// <summary>The exceptions an invocation is documented to throw; anything else is a leak.</summary>
        private static bool IsDocumented(Exception exception) => exception is BedrockRuntimeException
            or ModelThrottledException or ContextWindowOverflowException or MaxTokensReachedException
            or IncompleteResponseException or StructuredOutputException or PlantedHookException or OperationCanceledException
            // A dropped connection surfaces as .NET's own network exceptions.
            or IOException or HttpRequestException;

        private FakeResponse NextResponse(bool structured)
        {
            var events = _random.Next(0, 6);
            return _random.Next(structured ? 14 : 13) switch
            {
                0 or 1 => FakeResponse.Text("Some text, streamed in pieces.").WithTextDeltaLength(_random.Next(1, 12)),
                2 or 3 or 4 => ToolUses(),
                5 => FakeResponse.Error("ThrottlingException", 429, "Too many requests, please wait before trying again."),
                6 => FakeResponse.Error("InternalServerException", 500, "The server encountered an internal error."),
                7 => FakeResponse.Text("Throttled mid-stream").WithStreamExceptionAfter(events, "throttlingException", "Too many tokens, please wait before trying again."),
                8 => _random.Next(2) == 0 ? FakeResponse.Text("Broken").WithStreamExceptionAfter(events) : FakeResponse.Text("Broken").WithErrorFrameAfter(events),
                9 => ToolUses().DropConnectionAfterBytes(_random.Next(0, 600)),
                10 => (_random.Next(2) == 0 ? FakeResponse.Text("Cut short") : ToolUses()).EndStreamAfter(events),
                11 => (_random.Next(2) == 0 ? FakeResponse.Text("Too long") : ToolUses()).WithStopReason(StopReason.MaxTokens),
                12 => FakeResponse.Error("ValidationException", 400, "Input is too long for requested model."),
                _ => StructuredOutputCall(),
            };
        }

        private FakeResponse ToolUses()
        {
            var names = new[] { "echo", "echo", "fail", "hang", "missing", "bad name" };
            var blocks = new List<ContentBlock>();
            if (_random.Next(2) == 0)
            {
                blocks.Add(FakeBlocks.Text(_random.Next(4) == 0 ? "\n\n" : "Let me use a tool."));
            }

            for (var i = _random.Next(1, 4); i > 0; i--)
            {
                var name = names[_random.Next(names.Length)];
                blocks.Add(FakeBlocks.ToolUse(name, """{"text":"hello"}""", $"tooluse_{_nextToolUseId++}"));
                if (name == "hang")
                {
                    _steps.Add("hang");
                }
            }

            return FakeResponse.Blocks([.. blocks]);
        }

        private FakeResponse StructuredOutputCall() => _random.Next(3) == 0
            ? FakeResponse.ToolUse(StructuredOutputToolName, """{"city":"Paris"}""", $"tooluse_{_nextToolUseId++}")
            : FakeResponse.ToolUse(StructuredOutputToolName, """{"city":"Paris","population":2100000}""", $"tooluse_{_nextToolUseId++}");

        private AgentTool[] Tools() =>
        [
            AgentTool.FromMethod((string text) => text, "echo", "Echoes the text."),
            AgentTool.FromMethod(string (string text) => throw new PlantedToolException("the tool failed"), "fail", "Always fails."),
            AgentTool.FromMethod(
                async (string text, CancellationToken cancellationToken) =>
                {
                    // Cancellation inside a tool: the invocation is cancelled while this tool waits for it.
                    _cancelledBySchedule = true;
                    await _invocation.CancelAsync();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    return text;
                },
                "hang",
                "Never returns by itself."),
        ];

        private void OnEvent(AgentEvent agentEvent)
        {
            // A cancel from the result's own callback would stop the next invocation instead: not a fault of this one.
            if (_eventCount++ != _cancelAtEvent || agentEvent is AgentResultEvent)
            {
                return;
            }

            _cancelledBySchedule = true;
            if (_cancelByAgent)
            {
                _agent.Cancel();
            }
            else
            {
                _invocation.Cancel();
            }
        }

        /// <summary>Throws from the planted hook at its planned call (counted across threads: concurrent tools may reach it in any order).</summary>
        private void MaybeThrow(string hook)
        {
            if (_throwingHook == hook && Interlocked.Increment(ref _hookCalls) - 1 == _hookThrowsAt)
            {
                throw new PlantedHookException($"{hook} hook failed");
            }
        }
    }
}
