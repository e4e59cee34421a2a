using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Strands.Agents;
using Strands.Content;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Tools;

/// <summary>Tools made from C# methods, delegates, AIFunctions and classes: names, schemas, results and the registry.</summary>
public class FunctionToolTests
{
    private static readonly Agent Agent = new(new ScriptedModel(), new AgentOptions { CallbackHandler = null });

    private static Task<ToolResultBlock> RunAsync(AgentTool tool, string inputJson, string id = "t1")
        => tool.InvokeAsync(new ToolContext(new ToolUseBlock { ToolUseId = id, Name = tool.Name, Input = JsonValues.Parse(inputJson) }, Agent, new Dictionary<string, object?>()));

    internal static class Sample
    {
        [Tool, Description("Returns its input.")]
        public static int Identity([Description("The value.")] int a) => a;

        [Tool(Name = "custom-name", Description = "Overridden.")]
        public static string Renamed() => "renamed";

        [Tool]
        public static async Task<string> GetWeatherAsync(string city, CancellationToken cancellationToken)
        {
            await Task.Yield();
            return $"Sunny in {city}";
        }

        [Tool]
        public static string WithContext(string text, ToolContext context, Agent agent) => $"{text}:{context.ToolUse.ToolUseId}:{agent.Name}";

        [Tool]
        public static object? ReturnsNull() => null;

        [Tool]
        public static Dictionary<string, int> ReturnsObject() => new() { ["x"] = 1 };

        [Tool]
        public static ToolResultBlock ReturnsResult() => new() { ToolUseId = "ignored", Status = ToolResultStatus.Error, Content = [ToolResultContentBlock.FromText("explicit")] };

        [Tool]
        public static string Optional(string? note = null, int count = 3) => $"{note ?? "none"}/{count}";

        [Tool]
        public static string Nullable(string? required) => required ?? "null";

        public static string NotATool() => "";
    }

    private sealed class Counter
    {
        private int _count;

        [Tool, Description("Counts calls.")]
        public int Increment(int by = 1) => _count += by;
    }

    [Fact]
    public void A_method_tool_schema_is_its_parameter_schema_with_descriptions()
    {
        var identity = AgentTool.FromType(typeof(Sample)).Single(t => t.Name == "identity");

        Assert.Equal("Returns its input.", identity.Spec.Description);
        Assert.Equal("""{"type":"object","properties":{"a":{"description":"The value.","type":"integer"}},"required":["a"]}""", identity.Spec.InputSchema.Json!.Value.GetRawText());
    }

    [Fact]
    public void Tool_names_are_snake_case_without_Async_or_overridden_and_methods_without_the_attribute_are_skipped()
    {
        var names = AgentTool.FromType(typeof(Sample)).Select(t => t.Name).ToList();

        Assert.Equal(["identity", "custom-name", "get_weather", "with_context", "returns_null", "returns_object", "returns_result", "optional", "nullable"], names);
        Assert.Equal("Overridden.", AgentTool.FromType(typeof(Sample))[1].Spec.Description);
        Assert.Equal("get_weather", AgentTool.FromType(typeof(Sample))[2].Spec.Description);
    }

    [Fact]
    public void Injected_parameters_are_left_out_of_the_schema()
    {
        var tools = AgentTool.FromType(typeof(Sample));
        var weather = tools.Single(t => t.Name == "get_weather").Spec.InputSchema.Json!.Value;
        var context = tools.Single(t => t.Name == "with_context").Spec.InputSchema.Json!.Value;

        Assert.Equal(["city"], weather.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["text"], context.GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["text"], context.GetProperty("required").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public void Optional_parameters_are_not_required_and_nullable_ones_are_required_but_accept_null()
    {
        var tools = AgentTool.FromType(typeof(Sample));
        var optional = tools.Single(t => t.Name == "optional").Spec.InputSchema.Json!.Value;
        var nullable = tools.Single(t => t.Name == "nullable").Spec.InputSchema.Json!.Value;

        Assert.False(optional.TryGetProperty("required", out _));
        Assert.Equal(["required"], nullable.GetProperty("required").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("""["string","null"]""", nullable.GetProperty("properties").GetProperty("required").GetProperty("type").GetRawText());
    }

    [Theory]
    [InlineData("identity", """{"a":2}""", "2")]
    [InlineData("get_weather", """{"city":"Lyon"}""", "Sunny in Lyon")]
    [InlineData("with_context", """{"text":"hi"}""", "hi:t1:Strands Agents")]
    [InlineData("returns_null", "{}", "null")]
    [InlineData("returns_object", "{}", """{"x":1}""")]
    [InlineData("optional", "{}", "none/3")]
    [InlineData("optional", """{"note":"n","count":5}""", "n/5")]
    [InlineData("nullable", """{"required":null}""", "null")]
    public async Task Results_are_text_for_strings_and_JSON_for_other_values(string name, string input, string expected)
    {
        var tool = AgentTool.FromType(typeof(Sample)).Single(t => t.Name == name);

        var result = await RunAsync(tool, input);

        Assert.Equal(ToolResultStatus.Success, result.Status);
        Assert.Equal(expected, Assert.Single(result.Content).Text);
    }

    [Fact]
    public async Task An_explicit_tool_result_is_kept_and_the_agent_sets_its_id()
    {
        var model = new ScriptedModel(Turn.Tools(("t7", "returns_result", "{}")), Turn.Text("ok"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = AgentTool.FromType(typeof(Sample)) });

        await agent.InvokeAsync("Hi");

        var result = agent.Messages[2].Content[0].ToolResult!;
        Assert.Equal(("t7", ToolResultStatus.Error, "explicit"), (result.ToolUseId, result.Status!.Value, result.Content[0].Text));
    }

    [Theory]
    [InlineData("{}", "'a': field required")]
    [InlineData("""{"a":"two"}""", "'a': expected integer, got string")]
    [InlineData("""{"a":1.5}""", "'a': expected integer, got number")]
    [InlineData("[1]", "the input must be a JSON object, got array")]
    public async Task Input_not_matching_the_schema_is_a_ToolValidationException(string input, string detail)
    {
        var tool = AgentTool.FromType(typeof(Sample)).Single(t => t.Name == "identity");

        var ex = await Assert.ThrowsAsync<ToolValidationException>(() => RunAsync(tool, input));

        Assert.Equal($"Validation failed for input parameters: {detail}", ex.Message);
    }

    [Fact]
    public async Task Instance_methods_are_bound_to_their_object()
    {
        var counter = new Counter();
        var tool = Assert.Single(AgentTool.FromObject(counter));

        await RunAsync(tool, "{}");
        var result = await RunAsync(tool, """{"by":5}""");

        Assert.Equal("increment", tool.Name);
        Assert.Equal("6", result.Content[0].Text);
    }

    [Fact]
    public void Types_without_static_tool_methods_and_objects_without_tool_methods_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => AgentTool.FromType(typeof(string)));
        Assert.Throws<ArgumentException>(() => AgentTool.FromType(typeof(Counter)));
        Assert.Throws<ArgumentException>(() => AgentTool.FromObject(new object()));
    }

    [Fact]
    public async Task Named_delegates_and_AIFunctions_are_tools()
    {
        var fromLambda = AgentTool.FromMethod((int x) => x * 2, "double_it", "Doubles.");
        Assert.Throws<ArgumentException>(() => AgentTool.FromMethod((int x) => x));
        AgentTool fromFunction = AIFunctionFactory.Create((string s) => s.ToUpperInvariant(), "shout", "Shouts.");

        Assert.Equal("6", (await RunAsync(fromLambda, """{"x":3}""")).Content[0].Text);
        Assert.Equal("shout", fromFunction.Name);
        Assert.Equal("Shouts.", fromFunction.Spec.Description);
        Assert.Equal("HEY", (await RunAsync(fromFunction, """{"s":"hey"}""")).Content[0].Text);
    }

    private sealed class LookupTool : AgentTool
    {
        public override ToolSpecification Spec { get; } = new() { Name = "lookup", Description = "Looks up a key." };

        public override Task<ToolResultBlock> InvokeAsync(ToolContext context, CancellationToken cancellationToken = default)
            => Task.FromResult(ToolResults.Success("value of " + context.ToolUse.Input.GetProperty("key").GetString()));
    }

    [Fact]
    public async Task Custom_tool_classes_work_and_get_an_empty_object_schema()
    {
        var model = new ScriptedModel(Turn.Tools(("t1", "lookup", """{"key":"k"}""")), Turn.Text("ok"));
        var agent = new Agent(model, new AgentOptions { CallbackHandler = null, Tools = [new LookupTool()] });

        await agent.InvokeAsync("Hi");

        Assert.Equal("""{"type":"object","properties":{}}""", model.Calls[0].ToolSpecs![0].InputSchema.Json!.Value.GetRawText());
        Assert.Equal("value of k", agent.Messages[2].Content[0].ToolResult!.Content[0].Text);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("dots.are.bad")]
    public void Invalid_tool_names_are_rejected_when_the_tool_is_made(string name)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => AgentTool.FromMethod(() => 1, name));
        Assert.Contains("name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_names_of_64_characters_are_accepted_and_65_rejected()
    {
        Assert.Equal(64, AgentTool.FromMethod(() => 1, new string('a', 64)).Name.Length);
        Assert.Throws<ArgumentException>(() => AgentTool.FromMethod(() => 1, new string('a', 65)));
    }

    [Fact]
    public void Duplicate_tool_names_are_rejected_also_when_they_differ_by_dash_or_underscore()
    {
        var registry = new ToolRegistry();
        registry.Register(AgentTool.FromMethod(() => 1, "my_tool"));

        var exact = Assert.Throws<ArgumentException>(() => registry.Register(AgentTool.FromMethod(() => 2, "my_tool")));
        Assert.StartsWith("Tool name 'my_tool' already exists. Cannot register tools with exact same name.", exact.Message, StringComparison.Ordinal);
        var similar = Assert.Throws<ArgumentException>(() => registry.Register(AgentTool.FromMethod(() => 2, "my-tool")));
        Assert.StartsWith("Tool name 'my-tool' already exists as 'my_tool'.", similar.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Tools = [BuiltInTools.Calculator, BuiltInTools.Calculator] }));
        Assert.Equal(["my_tool"], registry.Names);
        Assert.True(registry.Unregister("my_tool"));
        Assert.Equal(0, registry.Count);
    }

    [Theory]
    [InlineData("GetWeatherAsync", "get_weather")]
    [InlineData("HTTPRequest", "http_request")]
    [InlineData("calculator", "calculator")]
    [InlineData("ParseJSONValue2", "parse_json_value2")]
    [InlineData("Async", "async")]
    public void Method_names_become_snake_case_tool_names(string method, string expected)
        => Assert.Equal(expected, ToolNames.FromMethodName(method));

    [Fact]
    public void Return_values_that_are_content_blocks_or_JSON_convert_to_tool_results()
    {
        var image = new ToolResultContentBlock { Image = new ImageBlock { Format = ImageFormat.Png } };
        var single = FunctionTool.ToToolResult(image, AIJsonUtilities.DefaultOptions);
        var many = FunctionTool.ToToolResult(new[] { ToolResultContentBlock.FromText("a"), image }, AIJsonUtilities.DefaultOptions);
        var json = FunctionTool.ToToolResult(JsonValues.Parse("\"text\""), AIJsonUtilities.DefaultOptions);

        Assert.Same(image, Assert.Single(single.Content));
        Assert.Equal(2, many.Content.Count);
        Assert.Equal("text", json.Content[0].Text);
        Assert.Equal(JsonValueKind.Undefined, default(JsonElement).ValueKind);
    }
}
