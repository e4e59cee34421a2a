using Microsoft.Extensions.Time.Testing;
using Strands.Agents;
using Strands.Content;
using Strands.Tests.TestUtilities;
using Strands.Tools;

namespace Strands.Tests.Tools;

/// <summary>The calculator parser and the calculator / current_time tools.</summary>
public class BuiltInToolsTests
{
    [Theory]
    [InlineData("2+2", 4)]
    [InlineData("2 + 3 * 4", 14)]
    [InlineData("(2 + 3) * 4", 20)]
    [InlineData("10 / 4", 2.5)]
    [InlineData("10 % 4", 2)]
    [InlineData("2 ^ 10", 1024)]
    [InlineData("2 ** 3 ** 2", 512)]
    [InlineData("-2 ^ 2", -4)]
    [InlineData("2 ^ -1", 0.5)]
    [InlineData("--3", 3)]
    [InlineData("+4 - -1", 5)]
    [InlineData(".5 + 1.25", 1.75)]
    [InlineData("1.5e3", 1500)]
    [InlineData("2E-2", 0.02)]
    [InlineData("sqrt(16) + abs(-3)", 7)]
    [InlineData("max(1, 7, 3) - min(4, 2)", 5)]
    [InlineData("round(2.5) + floor(1.9) + ceil(1.1)", 6)]
    [InlineData("log(e) + ln(1) + log10(1000) + log2(8)", 7)]
    [InlineData("log(8, 2)", 3)]
    [InlineData("factorial(5)", 120)]
    [InlineData("pow(2, 5) + hypot(3, 4)", 37)]
    [InlineData(" 2*pi ", 2 * Math.PI)]
    [InlineData("sin(pi / 2) + cos(0)", 2)]
    [InlineData("PI", Math.PI)]
    public void The_calculator_evaluates_arithmetic_functions_and_constants(string expression, double expected)
        => Assert.Equal(expected, Calculator.Evaluate(expression), 10);

    [Theory]
    [InlineData("", "The expression is empty.")]
    [InlineData("2 +", "The expression ends unexpectedly.")]
    [InlineData("2 $ 3", "Unexpected character '$' at position 3.")]
    [InlineData("(1 + 2", "Expected ')' at the end of the expression.")]
    [InlineData("1 + 2)", "Unexpected character ')' at position 6.")]
    [InlineData("foo(1)", "Unknown function 'foo' at position 1.")]
    [InlineData("bar + 1", "Unknown name 'bar' at position 1.")]
    [InlineData("sqrt(1, 2)", "sqrt() takes 1 argument, got 2 (position 1).")]
    [InlineData("__import__('os')", "Unexpected character '_' at position 1.")]
    [InlineData("1.2.3", "Invalid number '1.2.3' at position 1.")]
    public void The_calculator_rejects_invalid_expressions_saying_where(string expression, string message)
        => Assert.Equal(message, Assert.Throws<FormatException>(() => Calculator.Evaluate(expression)).Message);

    [Fact]
    public void Division_by_zero_domain_errors_and_deep_nesting_are_typed_errors()
    {
        Assert.Equal("Division by zero.", Assert.Throws<DivideByZeroException>(() => Calculator.Evaluate("1 / (2 - 2)")).Message);
        Assert.Throws<ArithmeticException>(() => Calculator.Evaluate("sqrt(-1)"));
        Assert.Throws<ArithmeticException>(() => Calculator.Evaluate("factorial(2.5)"));
        Assert.Throws<FormatException>(() => Calculator.Evaluate(new string('(', 500) + "1" + new string(')', 500)));
    }

    [Theory]
    [InlineData(4, "4")]
    [InlineData(2.5, "2.5")]
    [InlineData(-0.1, "-0.1")]
    [InlineData(1e20, "1E+20")]
    public void Results_print_small_whole_numbers_as_integers_and_others_in_round_trip_invariant_form(double value, string expected) => Assert.Equal(expected, Calculator.Format(value));

    [Fact]
    public async Task The_calculator_tool_answers_as_the_documentation_shows_and_reports_errors_as_error_results()
    {
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Tools = [BuiltInTools.Calculator, BuiltInTools.CurrentTime] });

        var ok = await agent.Tool["calculator"].InvokeAsync(new { expression = "2+2" });
        var bad = await agent.Tool["calculator"].InvokeAsync(new { expression = "2+" }, recordDirectToolCall: false);

        Assert.Equal((ToolResultStatus.Success, "4"), (ok.Status!.Value, ok.Content[0].Text));
        Assert.Equal((ToolResultStatus.Error, "Error: The expression ends unexpectedly."), (bad.Status!.Value, bad.Content[0].Text));
        Assert.Equal(["calculator", "current_time"], agent.ToolNames);
        Assert.Equal("expression", agent.ToolRegistry.Specs[0].InputSchema.Json!.Value.GetProperty("required")[0].GetString());
    }

    [Fact]
    public async Task The_current_time_tool_answers_in_UTC_or_a_named_time_zone_and_an_unknown_zone_is_an_error_result()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 15, 12, 30, 0, TimeSpan.Zero));
        var agent = new Agent(new ScriptedModel(), new AgentOptions { CallbackHandler = null, Tools = [BuiltInTools.CreateCurrentTime(clock)], RecordDirectToolCall = false });

        var utc = await agent.Tool["current_time"].InvokeAsync();
        var paris = await agent.Tool["current_time"].InvokeAsync(new { timezone = "Europe/Paris" });
        var unknown = await agent.Tool["current_time"].InvokeAsync(new { timezone = "Mars/Olympus" });

        Assert.Equal("2025-01-15T12:30:00.000000+00:00", utc.Content[0].Text);
        Assert.Equal("2025-01-15T13:30:00.000000+01:00", paris.Content[0].Text);
        Assert.Equal(ToolResultStatus.Error, unknown.Status);
        Assert.Contains("Mars/Olympus", unknown.Content[0].Text, StringComparison.Ordinal);
    }
}
