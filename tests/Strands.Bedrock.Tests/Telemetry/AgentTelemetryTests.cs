using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Strands.Agents;
using Strands.Content;
using Strands.Models;
using Strands.Telemetry;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Telemetry;

/// <summary>
/// The agent's spans and metrics. Each test filters what it collects by its own trace (a root span it starts) or its
/// own model id, and message-content capture is a setting of each agent, so these tests run in parallel with the others.
/// </summary>
public sealed class AgentTelemetryTests : IDisposable
{
    private static readonly ActivitySource TestSource = new("Strands.Tests.Telemetry");

    private readonly List<Activity> _exported = [];
    private readonly TracerProvider _tracerProvider;
    private ActivitySpanId _rootSpanId;

    public AgentTelemetryTests()
    {
        _tracerProvider = Sdk.CreateTracerProviderBuilder()
            .AddSource(StrandsTelemetry.ActivitySourceName, TestSource.Name)
            .AddInMemoryExporter(_exported)
            .Build()!;
    }

    public void Dispose()
    {
        _tracerProvider.Dispose();
    }

    private static readonly TokenUsage FirstUsage = new() { InputTokens = 100, OutputTokens = 20, TotalTokens = 150, CacheReadInputTokens = 25, CacheWriteInputTokens = 5 };
    private static readonly TokenUsage SecondUsage = new() { InputTokens = 140, OutputTokens = 10, TotalTokens = 150 };

    private static (Agent Agent, List<string?> CurrentInTool) WeatherAgent(Func<string, string>? weather = null, bool captureContent = false)
    {
        var bedrock = new ScriptedBedrockClient()
            .Then(ScriptedBedrockClient.ToolTurn("tooluse_42", "get_weather", """{"city":"Paris"}""", FirstUsage))
            .Then(ScriptedBedrockClient.TextTurn("Sunny in Paris.", SecondUsage));
        var model = new BedrockModel(bedrock, new BedrockModelConfig { ModelId = "test.model-v1", Temperature = 0.5, MaxTokens = 256 });
        var currentInTool = new List<string?>();
        var tool = AgentTool.FromMethod(
            (string city) =>
            {
                currentInTool.Add(Activity.Current?.DisplayName);
                return (weather ?? (c => $"Sunny in {c}"))(city);
            },
            name: "get_weather",
            description: "Gets the weather.");
        return (new Agent(model, new AgentOptions { CallbackHandler = null, Tools = [tool], Name = "weather-agent", AgentId = "agent-7", SystemPrompt = "Be brief.", CaptureMessageContent = captureContent }), currentInTool);
    }

    private async Task<List<Activity>> TraceAsync(Func<Task> run)
    {
        ActivityTraceId traceId;
        using (var root = TestSource.StartActivity("test-root"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            _rootSpanId = root.SpanId;
            try
            {
                await run();
            }
            catch (InvalidOperationException)
            {
                // Failures are part of some tests; the spans tell.
            }
        }

        _tracerProvider.ForceFlush();
        lock (_exported)
        {
            return [.. _exported.Where(a => a.TraceId == traceId && a.Source.Name == StrandsTelemetry.ActivitySourceName)];
        }
    }

    [Fact]
    public async Task An_agent_run_with_one_tool_round_trip_makes_nested_gen_ai_spans()
    {
        var (agent, currentInTool) = WeatherAgent();

        var spans = await TraceAsync(() => agent.InvokeAsync("Weather in Paris?"));

        var invoke = Assert.Single(spans, s => s.DisplayName == "invoke_agent weather-agent");
        var chats = spans.Where(s => s.DisplayName == "chat test.model-v1").OrderBy(s => s.StartTimeUtc).ToList();
        var tool = Assert.Single(spans, s => s.DisplayName == "execute_tool get_weather");
        Assert.Equal(4, spans.Count);
        Assert.Equal(2, chats.Count);

        // Parent and child: invoke_agent under the caller's span, chat and execute_tool under invoke_agent.
        Assert.Equal(_rootSpanId, invoke.ParentSpanId);
        Assert.All(chats, c => Assert.Equal(invoke.SpanId, c.ParentSpanId));
        Assert.Equal(invoke.SpanId, tool.ParentSpanId);
        Assert.True(chats[0].StartTimeUtc + chats[0].Duration <= tool.StartTimeUtc);
        Assert.True(tool.StartTimeUtc + tool.Duration <= chats[1].StartTimeUtc);
        Assert.Equal(["execute_tool get_weather"], currentInTool);

        Assert.Equal(ActivityKind.Internal, invoke.Kind);
        Assert.Equal("invoke_agent", invoke.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("aws.bedrock", invoke.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("weather-agent", invoke.GetTagItem("gen_ai.agent.name"));
        Assert.Equal("agent-7", invoke.GetTagItem("gen_ai.agent.id"));
        Assert.Equal("test.model-v1", invoke.GetTagItem("gen_ai.request.model"));
        Assert.Equal(new[] { "end_turn" }, invoke.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(130 + 140, invoke.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(30, invoke.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(ActivityStatusCode.Unset, invoke.Status);

        Assert.All(chats, c =>
        {
            Assert.Equal(ActivityKind.Client, c.Kind);
            Assert.Equal("chat", c.GetTagItem("gen_ai.operation.name"));
            Assert.Equal("aws.bedrock", c.GetTagItem("gen_ai.provider.name"));
            Assert.Equal("test.model-v1", c.GetTagItem("gen_ai.request.model"));
            Assert.Equal(0.5, c.GetTagItem("gen_ai.request.temperature"));
            Assert.Equal(256, c.GetTagItem("gen_ai.request.max_tokens"));
        });
        Assert.Equal(new[] { "tool_use" }, chats[0].GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(130, chats[0].GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(20, chats[0].GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(25, chats[0].GetTagItem("gen_ai.usage.cache_read.input_tokens"));
        Assert.Equal(5, chats[0].GetTagItem("gen_ai.usage.cache_creation.input_tokens"));
        Assert.Equal(new[] { "end_turn" }, chats[1].GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Equal(140, chats[1].GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Null(chats[1].GetTagItem("gen_ai.usage.cache_read.input_tokens"));

        Assert.Equal("execute_tool", tool.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("get_weather", tool.GetTagItem("gen_ai.tool.name"));
        Assert.Equal("tooluse_42", tool.GetTagItem("gen_ai.tool.call.id"));
        Assert.Equal("function", tool.GetTagItem("gen_ai.tool.type"));
        Assert.Equal("Gets the weather.", tool.GetTagItem("gen_ai.tool.description"));
        Assert.Equal(ActivityStatusCode.Unset, tool.Status);

        // No content unless it is asked for.
        Assert.All(spans, s => Assert.DoesNotContain(s.Tags, t => t.Key is "gen_ai.input.messages" or "gen_ai.output.messages" or "gen_ai.system_instructions" or "gen_ai.tool.call.arguments" or "gen_ai.tool.call.result"));
    }

    [Fact]
    public async Task Message_content_is_recorded_only_when_enabled()
    {
        var (agent, _) = WeatherAgent(captureContent: true);

        var spans = await TraceAsync(() => agent.InvokeAsync("Weather in Paris?"));

        var invoke = Assert.Single(spans, s => s.DisplayName.StartsWith("invoke_agent", StringComparison.Ordinal));
        var chats = spans.Where(s => s.DisplayName.StartsWith("chat", StringComparison.Ordinal)).OrderBy(s => s.StartTimeUtc).ToList();
        var tool = Assert.Single(spans, s => s.DisplayName.StartsWith("execute_tool", StringComparison.Ordinal));

        Assert.Equal("""[{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]}]""", invoke.GetTagItem("gen_ai.input.messages"));
        Assert.Equal("""[{"role":"assistant","parts":[{"type":"text","content":"Sunny in Paris."}],"finish_reason":"end_turn"}]""", invoke.GetTagItem("gen_ai.output.messages"));
        Assert.Equal("""[{"type":"text","content":"Be brief."}]""", invoke.GetTagItem("gen_ai.system_instructions"));
        Assert.Equal(
            """[{"role":"assistant","parts":[{"type":"tool_call","id":"tooluse_42","name":"get_weather","arguments":{"city":"Paris"}}],"finish_reason":"tool_use"}]""",
            chats[0].GetTagItem("gen_ai.output.messages"));
        var secondInput = (string)chats[1].GetTagItem("gen_ai.input.messages")!;
        Assert.Contains("""{"type":"tool_call_response","id":"tooluse_42","response":"Sunny in Paris"}""", secondInput, StringComparison.Ordinal);
        Assert.Equal("""{"city":"Paris"}""", tool.GetTagItem("gen_ai.tool.call.arguments"));
        Assert.Equal("Sunny in Paris", tool.GetTagItem("gen_ai.tool.call.result"));
    }

    [Fact]
    public async Task A_failing_model_call_sets_error_type_on_chat_and_invoke_agent()
    {
        var bedrock = new ScriptedBedrockClient().ThenThrow(new InvalidOperationException("boom"));
        var agent = new Agent(new BedrockModel(bedrock, new BedrockModelConfig { ModelId = "failing-model" }), new AgentOptions { CallbackHandler = null, CaptureMessageContent = false });

        var spans = await TraceAsync(() => agent.InvokeAsync("hi"));

        var chat = Assert.Single(spans, s => s.DisplayName == "chat failing-model");
        var invoke = Assert.Single(spans, s => s.DisplayName.StartsWith("invoke_agent", StringComparison.Ordinal));
        foreach (var span in new[] { chat, invoke })
        {
            Assert.Equal("System.InvalidOperationException", span.GetTagItem("error.type"));
            Assert.Equal(ActivityStatusCode.Error, span.Status);
        }

        Assert.Null(invoke.GetTagItem("gen_ai.response.finish_reasons"));
    }

    [Fact]
    public async Task A_failing_tool_marks_its_span_failed_and_the_agent_goes_on()
    {
        var (agent, _) = WeatherAgent(_ => throw new TimeoutException("weather service down"));

        var spans = await TraceAsync(() => agent.InvokeAsync("Weather in Paris?"));

        var tool = Assert.Single(spans, s => s.DisplayName == "execute_tool get_weather");
        Assert.Equal(ActivityStatusCode.Error, tool.Status);
        Assert.Equal("System.TimeoutException", tool.GetTagItem("error.type"));
        var invoke = Assert.Single(spans, s => s.DisplayName.StartsWith("invoke_agent", StringComparison.Ordinal));
        Assert.Null(invoke.GetTagItem("error.type"));
    }

    [Fact]
    public async Task A_chat_client_model_reports_the_provider_of_its_client()
    {
        var chat = new ScriptedChatClient().Then(ScriptedChatClient.Text("hi"), ScriptedChatClient.Finish(ChatFinishReason.Stop));
        var agent = new Agent(chat.AsStrandsModel(), new AgentOptions { CallbackHandler = null, CaptureMessageContent = false });

        var spans = await TraceAsync(() => agent.InvokeAsync("hello"));

        var span = Assert.Single(spans, s => s.DisplayName == "chat test-model");
        Assert.Equal("test-provider", span.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("127.0.0.1", span.GetTagItem("server.address"));
        Assert.Equal(11434, span.GetTagItem("server.port"));
    }

    [Fact]
    public async Task Metrics_record_duration_and_token_usage()
    {
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StrandsTelemetry.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            if (copy.TryGetValue("gen_ai.request.model", out var model) && (string?)model == "test.model-v1")
            {
                lock (measurements)
                {
                    measurements.Add((instrument.Name, value, copy));
                }
            }
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        var (agent, _) = WeatherAgent();

        await agent.InvokeAsync("Weather in Paris?");

        var durations = measurements.Where(m => m.Instrument == "gen_ai.client.operation.duration").ToList();
        Assert.Equal(2, durations.Count(m => (string?)m.Tags["gen_ai.operation.name"] == "chat"));
        Assert.Single(durations, m => (string?)m.Tags["gen_ai.operation.name"] == "invoke_agent");
        Assert.All(durations, m =>
        {
            Assert.Equal("aws.bedrock", m.Tags["gen_ai.provider.name"]);
            Assert.True(m.Value >= 0);
        });

        var tokens = measurements.Where(m => m.Instrument == "gen_ai.client.token.usage").ToList();
        Assert.All(tokens, m => Assert.Equal("chat", m.Tags["gen_ai.operation.name"]));
        Assert.Equal([130.0, 140.0], tokens.Where(m => (string?)m.Tags["gen_ai.token.type"] == "input").Select(m => m.Value));
        Assert.Equal([20.0, 10.0], tokens.Where(m => (string?)m.Tags["gen_ai.token.type"] == "output").Select(m => m.Value));
    }

    [Fact]
    public async Task A_model_already_wrapped_in_OpenTelemetryModel_is_not_wrapped_twice_and_keeps_its_own_capture_setting()
    {
        var bedrock = new ScriptedBedrockClient().Then(ScriptedBedrockClient.TextTurn("Sunny.", SecondUsage));
        var observed = new OpenTelemetryModel(new BedrockModel(bedrock, new BedrockModelConfig { ModelId = "wrapped-model" }), captureMessageContent: true);
        var agent = new Agent(observed, new AgentOptions { CallbackHandler = null, CaptureMessageContent = false });

        var spans = await TraceAsync(() => agent.InvokeAsync("Weather?"));

        var chat = Assert.Single(spans, s => s.DisplayName == "chat wrapped-model");
        Assert.Equal("""[{"role":"user","parts":[{"type":"text","content":"Weather?"}]}]""", chat.GetTagItem("gen_ai.input.messages"));
        var invoke = Assert.Single(spans, s => s.DisplayName.StartsWith("invoke_agent", StringComparison.Ordinal));
        Assert.Null(invoke.GetTagItem("gen_ai.input.messages"));
        Assert.Same(observed, agent.Model);
    }

    [Fact]
    public void Models_describe_who_serves_them_through_GetService()
    {
        var bedrock = new BedrockModel(new ScriptedBedrockClient(), new BedrockModelConfig { ModelId = "m-1" });
        var wrapped = new OpenTelemetryModel(bedrock);

        var metadata = wrapped.GetService<ModelMetadata>();

        Assert.Equal(new ModelMetadata("aws.bedrock", "m-1"), metadata);
        Assert.Same(bedrock, wrapped.GetService<BedrockModel>());
        Assert.Same(wrapped, wrapped.GetService<OpenTelemetryModel>());
        Assert.IsType<ScriptedBedrockClient>(wrapped.GetService<Strands.Bedrock.IBedrockRuntimeClient>());
        Assert.Null(wrapped.GetService<ModelMetadata>(serviceKey: "keyed"));
    }
}
