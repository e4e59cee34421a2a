using BenchmarkDotNet.Analysers;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Validators;

namespace Strands.Benchmarks;

/// <summary>
/// The CPU time of the benchmark process per operation (user + system, every thread: the workload, its thread-pool
/// continuations, the GC and the JIT's background compilation), read from the process before and after the measured
/// iterations. With the fake Bedrock in another process, this is the client's CPU cost, apart from the server's.
/// </summary>
public sealed class CpuTimeDiagnoser : IDiagnoser
{
    private readonly Dictionary<BenchmarkCase, TimeSpan> _cpuTime = [];
    private TimeSpan _before;

    /// <inheritdoc />
    public IEnumerable<string> Ids => ["CpuTime"];

    /// <inheritdoc />
    public IEnumerable<IExporter> Exporters => [];

    /// <inheritdoc />
    public IEnumerable<IAnalyser> Analysers => [];

    /// <inheritdoc />
    public RunMode GetRunMode(BenchmarkCase benchmarkCase) => RunMode.NoOverhead;

    /// <inheritdoc />
    public void Handle(HostSignal signal, DiagnoserActionParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (signal == HostSignal.BeforeActualRun)
        {
            parameters.Process.Refresh();
            _before = parameters.Process.TotalProcessorTime;
        }
        else if (signal == HostSignal.AfterActualRun)
        {
            parameters.Process.Refresh();
            _cpuTime[parameters.BenchmarkCase] = parameters.Process.TotalProcessorTime - _before;
        }
    }

    /// <inheritdoc />
    public IEnumerable<Metric> ProcessResults(DiagnoserResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        // The operations of the measured (workload, actual) iterations only: TotalOperations counts the pilot, warm-up
        // and overhead iterations too, which ran outside the two signals.
        var operations = results.Measurements
            .Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Actual)
            .Sum(m => m.Operations);
        if (_cpuTime.TryGetValue(results.BenchmarkCase, out var cpu) && operations > 0)
        {
            yield return new Metric(CpuPerOperation.Instance, cpu.TotalNanoseconds / operations);
        }
    }

    /// <inheritdoc />
    public void DisplayResults(ILogger logger)
    {
    }

    /// <inheritdoc />
    public IEnumerable<ValidationError> Validate(ValidationParameters validationParameters) => [];

    private sealed class CpuPerOperation : IMetricDescriptor
    {
        public static readonly CpuPerOperation Instance = new();

        public string Id => "CpuTime";

        public string DisplayName => "CPU/op";

        public string Legend => "CPU time of the benchmark process (all threads, user + system) per operation";

        public string NumberFormat => "N1";

        public UnitType UnitType => UnitType.Time;

        public string Unit => "ns";

        public bool TheGreaterTheBetter => false;

        public int PriorityInCategory => 0;

        public bool GetIsAvailable(Metric metric) => true;
    }
}
