using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Strands.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release -- --filter *EventStream* --job short</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected by the command line.</summary>
    /// <param name="args">BenchmarkDotNet arguments.</param>
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.AddDiagnoser(new CpuTimeDiagnoser()));
}
