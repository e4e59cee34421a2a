using BenchmarkDotNet.Running;

namespace Strands.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter *EventStream* --job short</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by the command line.</summary>
    /// <param name="args">BenchmarkDotNet arguments.</param>
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--prof")
        {
            await Prof.Run();
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
