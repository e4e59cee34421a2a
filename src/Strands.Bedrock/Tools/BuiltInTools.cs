using System.ComponentModel;
using System.Globalization;
using Strands.Content;

namespace Strands.Tools;

/// <summary>Ready-made tools: <c>calculator</c> and <c>current_time</c>.</summary>
public static class BuiltInTools
{
    /// <summary>
    /// <c>calculator(expression)</c>: evaluates an arithmetic expression safely with <see cref="Tools.Calculator"/>;
    /// nothing is executed. Errors come back as error results.
    /// </summary>
    public static AgentTool Calculator { get; } = AgentTool.FromType(typeof(CalculatorTool))[0];

    /// <summary><c>current_time(timezone?)</c>: the current time in ISO 8601, in UTC or an IANA time zone.</summary>
    public static AgentTool CurrentTime { get; } = CreateCurrentTime(TimeProvider.System);

    /// <summary>Makes a <c>current_time</c> tool that reads the clock of <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The tool.</returns>
    public static AgentTool CreateCurrentTime(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return AgentTool.FromObject(new CurrentTimeTool(timeProvider))[0];
    }

    private static class CalculatorTool
    {
        [Tool("calculator")]
        [Description("Evaluates a mathematical expression and returns the numeric result. Supports + - * / % ^ (power), parentheses, decimals, the constants pi and e, and functions such as sqrt, abs, exp, ln, log, log10, sin, cos, tan, floor, ceil, round, min and max.")]
        public static ToolResultBlock Evaluate([Description("The expression to evaluate, e.g. \"2 * (3 + 4) ^ 2\" or \"sqrt(16) + sin(pi / 2)\".")] string expression)
        {
            try
            {
                return ToolResults.Success(Tools.Calculator.Format(Tools.Calculator.Evaluate(expression)));
            }
            catch (Exception ex) when (ex is FormatException or ArithmeticException)
            {
                return ToolResults.Error($"Error: {ex.Message}");
            }
        }
    }

    private sealed class CurrentTimeTool(TimeProvider timeProvider)
    {
        [Tool("current_time")]
        [Description("Gets the current date and time in ISO 8601 format, in UTC or in the given IANA time zone.")]
        public ToolResultBlock Now([Description("An IANA time zone such as \"US/Pacific\" or \"Europe/Paris\"; UTC when omitted.")] string? timezone = null)
        {
            var now = timeProvider.GetUtcNow();
            if (string.IsNullOrWhiteSpace(timezone) || string.Equals(timezone, "UTC", StringComparison.OrdinalIgnoreCase))
            {
                return ToolResults.Success(now.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(timezone, out var zone))
            {
                return ToolResults.Error($"Error: unknown time zone '{timezone}'.");
            }

            return ToolResults.Success(TimeZoneInfo.ConvertTime(now, zone).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture));
        }
    }
}
