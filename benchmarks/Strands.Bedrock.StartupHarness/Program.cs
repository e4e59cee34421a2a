// The start-up harness: how fast an agent app starts and answers, measured as a user feels it.
//
//   dotnet run --project benchmarks/Strands.Bedrock.StartupHarness -c Release -- [--runs 20] [--steady-runs 5] [--builds jit,r2r,aot] [--no-publish] [--baseline DIR]
//
// It publishes benchmarks/Strands.Bedrock.StartupApp three ways — "jit": framework-dependent with default settings
// (tiered JIT, no ReadyToRun), "r2r": the same with PublishReadyToRun, "aot": Native AOT — then starts each build as a
// fresh process, run after run (the builds interleaved, so that a noisy moment hits them alike), against
// FakeBedrockServer in this process: real HTTP on loopback, SigV4 verified by the fake. Per build it reports medians of
//   - process start -> the fake receives the first request (runtime start, configuration, agent and tool set-up, the
//     first request's JSON and signature),
//   - process start -> the agent's answer is printed (both model calls and the tool),
//   - process start -> exit, and the peak RSS the app reports (VmHWM),
//   - inside a warm process (HttpClient already used once): client creation, the first ConverseStreamAsync of the
//     process and a second one;
// and, over --steady-runs fresh processes, what the process sees after its start: 1,000 invocations one after the
// other (the first, the 2nd-100th, the last 500 with their CPU time), and two 100,000-delta answers through
// Agent.StreamAsync (deltas per second and CPU time per delta of each).
// With --baseline DIR (another clone or worktree of the repository, e.g. `git worktree add DIR main`), the same app of
// that tree is published and measured too, interleaved with this one, as "base-<build>": a before/after comparison
// under the same machine load. Each build runs once before the measured runs (page cache, fake warm-up). Every run's answer and requests are
// checked; a failed check ends the harness with exit code 1.

using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Strands.Bedrock.Testing;
using Strands.Benchmarks.Shared;

var runs = 20;
var steadyRuns = 5;
string[] builds = ["jit", "r2r", "aot"];
var publish = true;
string? baseline = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--steady-runs":
            steadyRuns = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--builds":
            builds = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            break;
        case "--no-publish":
            publish = false;
            break;
        case "--baseline":
            baseline = Path.GetFullPath(args[++i]);
            break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. Usage: [--runs N] [--steady-runs N] [--builds jit,r2r,aot] [--no-publish] [--baseline DIR]");
            return 2;
    }
}

var thisProject = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "StartupAppProject").Value!;
var targets = builds.Select(b => (Label: b, Build: b, Project: thisProject)).ToList();
if (baseline is not null)
{
    var baseProject = Path.Combine(baseline, "benchmarks", "Strands.Bedrock.StartupApp", "Strands.Bedrock.StartupApp.csproj");
    targets = [.. builds.SelectMany(b => new[] { (Label: "base-" + b, Build: b, Project: baseProject), (Label: b, Build: b, Project: thisProject) })];
}

var apps = new Dictionary<string, App>();
foreach (var (label, build, project) in targets)
{
    var output = Path.Combine(Path.GetDirectoryName(project)!, "bin", "startup", build);
    string[] properties = build switch
    {
        "jit" => [],
        "r2r" => ["-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true"],
        "aot" => ["-r", "linux-x64", "-p:PublishAot=true"],
        _ => throw new ArgumentException($"Unknown build {build}: jit, r2r or aot."),
    };
    if (publish)
    {
        Console.WriteLine($"publishing {label} ({project}) ...");
        var (code, log) = await RunToEndAsync("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo", "-v", "q", "-p:IntermediateOutputPath=obj/Release/startup-" + build + "/", .. properties]);
        if (code != 0)
        {
            Console.Error.WriteLine(log);
            Console.Error.WriteLine($"publishing {label} failed");
            return 1;
        }
    }

    var executable = Path.Combine(output, "Strands.Bedrock.StartupApp");
    if (!File.Exists(executable))
    {
        Console.Error.WriteLine($"No executable at {executable}: publish it first (run without --no-publish).");
        return 1;
    }

    apps[label] = new App(label, executable, DirectorySize(output, build == "aot" ? ".dbg" : null));
}

await using var server = await FakeBedrockServer.StartAsync();
long firstRequestAt = 0;
var (deltas, _) = await LoopbackScript.PreRenderAsync(LoopbackScript.DeltasAnswer());
var script = LoopbackScript.Responder(deltas);
server.RespondWith(Respond);
using (var warmUp = server.CreateClient())
{
    await foreach (var unused in warmUp.ConverseStreamAsync(new() { ModelId = LoopbackScript.ToolModelId, Messages = [Strands.Content.Message.User("Hi")] }))
    {
    }
}

foreach (var app in apps.Values)
{
    await RunAgentAsync(app, record: false);
}

Console.WriteLine($"measuring {runs} runs of each build ({string.Join(", ", apps.Keys)}) ...");
for (var run = 0; run < runs; run++)
{
    foreach (var app in apps.Values)
    {
        await RunAgentAsync(app, record: true);
        await RunFirstCallAsync(app);
    }
}

Console.WriteLine($"measuring {steadyRuns} runs of 1,000 invocations and of two 100,000-delta answers per build ...");
for (var run = 0; run < steadyRuns; run++)
{
    foreach (var app in apps.Values)
    {
        await RunSteadyAsync(app);
    }
}

var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
Console.WriteLine();
Console.WriteLine($"Medians of {runs} runs (min in parentheses); load average {load}; runtime {Environment.Version}, {Environment.ProcessorCount} cores.");
Console.WriteLine();
Console.WriteLine("| build | published size | start -> first request | start -> agent answer | start -> exit | peak RSS | warm process: client creation | first ConverseStreamAsync | second |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var app in apps.Values)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {app.Build} | {app.Size / 1048576.0:F1} MiB | {Stat(app.FirstRequest)} | {Stat(app.Answer)} | {Stat(app.Exit)} | {Median(app.PeakRss) / 1024:F1} MiB | {Stat(app.ClientCreate)} | {Stat(app.FirstCall)} | {Stat(app.SecondCall)} |"));
}

Console.WriteLine();
Console.WriteLine($"In a fresh process, medians of {steadyRuns} runs: 1,000 invocations with a tool round trip, one after the other; two 100,000-delta answers.");
Console.WriteLine();
Console.WriteLine("| build | 1st invocation | 2nd-100th | 501st-1000th | CPU per invocation (501st-1000th) | 1st answer: deltas/s | CPU per delta | 2nd answer: deltas/s | CPU per delta |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var app in apps.Values)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {app.Build} | {Median(app.FirstInvocation):F1} ms | {Median(app.EarlyInvocation):F2} ms | {Median(app.SteadyInvocation):F3} ms | {Median(app.SteadyCpu):F3} ms | {Median(app.FirstStreamRate) / 1000:F0} k | {Median(app.FirstStreamCpu):F2} µs | {Median(app.SecondStreamRate) / 1000:F0} k | {Median(app.SecondStreamCpu):F2} µs |"));
}

return 0;

FakeResponse Respond(RecordedRequest request)
{
    Interlocked.CompareExchange(ref firstRequestAt, Stopwatch.GetTimestamp(), 0);
    return script(request);
}

async Task RunAgentAsync(App app, bool record)
{
    server.Reset();
    server.RespondWith(Respond);
    Interlocked.Exchange(ref firstRequestAt, 0);
    var result = await StartAsync(app.Executable, [], "answer: ");
    var requests = server.Requests;
    var problems = new List<string>();
    if (result.ExitCode != 0)
    {
        problems.Add($"exit code {result.ExitCode}");
    }

    if (result.MarkedLine is not { } answer || !answer.Contains(LoopbackScript.AnswerPrefix + """{"city":"Seattle","conditions":"sunny","temperatureC":18}""", StringComparison.Ordinal))
    {
        problems.Add("no answer quoting the tool's result");
    }

    if (requests.Count != 2 || requests.Any(r => r.Operation != FakeOperation.ConverseStream || !r.IsAuthenticated || r.StatusCode != 200))
    {
        problems.Add($"expected 2 signed ConverseStream requests answered with 200, got: {string.Join(", ", requests)}");
    }

    if (problems.Count > 0)
    {
        throw new InvalidOperationException($"{app.Build}: {string.Join("; ", problems)}\n--- output ---\n{result.Output}");
    }

    if (record)
    {
        app.FirstRequest.Add(Stopwatch.GetElapsedTime(result.Started, Interlocked.Read(ref firstRequestAt)).TotalMilliseconds);
        app.Answer.Add(Stopwatch.GetElapsedTime(result.Started, result.MarkedAt).TotalMilliseconds);
        app.Exit.Add(Stopwatch.GetElapsedTime(result.Started, result.Exited).TotalMilliseconds);
        app.PeakRss.Add(ReadNumber(result.Output, "peak-rss-kib:"));
    }
}

async Task RunFirstCallAsync(App app)
{
    server.Reset();
    server.RespondWith(Respond);
    var result = await StartAsync(app.Executable, ["first-call"], "client-create-ms: ");
    if (result.ExitCode != 0 || result.MarkedLine is null || server.Requests.Count(r => r.IsAuthenticated && r.StatusCode == 200) != 2)
    {
        throw new InvalidOperationException($"{app.Build} first-call: exit code {result.ExitCode}, requests {string.Join(", ", server.Requests)}\n--- output ---\n{result.Output}");
    }

    app.ClientCreate.Add(ReadNumber(result.Output, "client-create-ms:"));
    app.FirstCall.Add(ReadNumber(result.Output, "first-call-ms:"));
    app.SecondCall.Add(ReadNumber(result.Output, "second-call-ms:"));
}

async Task RunSteadyAsync(App app)
{
    server.Reset();
    server.RespondWith(Respond);
    var invocations = await StartAsync(app.Executable, ["invocations"], "invocations: ");
    if (invocations.ExitCode != 0 || invocations.MarkedLine is null || server.Requests.Count != 2_000 || server.Requests.Any(r => !r.IsAuthenticated || r.StatusCode != 200))
    {
        throw new InvalidOperationException($"{app.Build} invocations: exit code {invocations.ExitCode}, {server.Requests.Count} requests\n--- output ---\n{invocations.Output}");
    }

    app.FirstInvocation.Add(ReadNumber(invocations.Output, "first-ms:"));
    app.EarlyInvocation.Add(ReadNumber(invocations.Output, "early-ms:"));
    app.SteadyInvocation.Add(ReadNumber(invocations.Output, "steady-ms:"));
    app.SteadyCpu.Add(ReadNumber(invocations.Output, "steady-cpu-ms:"));

    server.Reset();
    server.RespondWith(Respond);
    var stream = await StartAsync(app.Executable, ["stream"], "stream: ");
    if (stream.ExitCode != 0 || stream.MarkedLine is null || ReadNumber(stream.Output, "deltas1:") != LoopbackScript.Deltas || ReadNumber(stream.Output, "deltas2:") != LoopbackScript.Deltas)
    {
        throw new InvalidOperationException($"{app.Build} stream: exit code {stream.ExitCode}\n--- output ---\n{stream.Output}");
    }

    app.FirstStreamRate.Add(ReadNumber(stream.Output, "deltas-per-s1:"));
    app.FirstStreamCpu.Add(ReadNumber(stream.Output, "cpu-us-per-delta1:"));
    app.SecondStreamRate.Add(ReadNumber(stream.Output, "deltas-per-s2:"));
    app.SecondStreamCpu.Add(ReadNumber(stream.Output, "cpu-us-per-delta2:"));
}

async Task<RunResult> StartAsync(string executable, string[] arguments, string marker)
{
    var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    // The app finds the fake the way any AWS program finds an endpoint, region and credentials: the environment.
    foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal)).ToList())
    {
        start.Environment.Remove(name);
    }

    start.Environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = server.Endpoint.ToString();
    start.Environment["AWS_REGION"] = server.Options.Region;
    start.Environment["AWS_ACCESS_KEY_ID"] = FakeBedrockServerOptions.DefaultAccessKeyId;
    start.Environment["AWS_SECRET_ACCESS_KEY"] = FakeBedrockServerOptions.DefaultSecretAccessKey;
    start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";

    var output = new StringBuilder();
    string? markedLine = null;
    long markedAt = 0;
    using var process = new Process { StartInfo = start };
    process.OutputDataReceived += (_, e) =>
    {
        if (e.Data is null)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        lock (output)
        {
            output.AppendLine(e.Data);
            if (markedLine is null && e.Data.StartsWith(marker, StringComparison.Ordinal))
            {
                (markedLine, markedAt) = (e.Data, now);
            }
        }
    };
    process.ErrorDataReceived += (_, e) =>
    {
        if (e.Data is not null)
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        }
    };

    var started = Stopwatch.GetTimestamp();
    process.Start();
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
    {
        await process.WaitForExitAsync(timeout.Token);
    }

    var exited = Stopwatch.GetTimestamp();
    lock (output)
    {
        return new RunResult(process.ExitCode, output.ToString(), markedLine, started, markedAt, exited);
    }
}

static double ReadNumber(string output, string label)
{
    var at = output.IndexOf(label, StringComparison.Ordinal);
    if (at < 0)
    {
        throw new InvalidOperationException($"'{label}' missing from the output:\n{output}");
    }

    var rest = output[(at + label.Length)..].TrimStart();
    var end = 0;
    while (end < rest.Length && (char.IsDigit(rest[end]) || rest[end] == '.'))
    {
        end++;
    }

    return double.Parse(rest[..end], CultureInfo.InvariantCulture);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Stat(List<double> values) => string.Create(CultureInfo.InvariantCulture, $"{Median(values):F1} ms ({values.Min():F1})");

static long DirectorySize(string directory, string? excludeExtension) =>
    new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories)
        .Where(f => excludeExtension is null || f.Extension != excludeExtension)
        .Sum(f => f.Length);

static async Task<(int Code, string Log)> RunToEndAsync(string file, string[] arguments)
{
    var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    return (process.ExitCode, await stdout + await stderr);
}

/// <summary>One published build and its measurements (milliseconds; peak RSS in KiB).</summary>
internal sealed record App(string Build, string Executable, long Size)
{
    public List<double> FirstRequest { get; } = [];

    public List<double> Answer { get; } = [];

    public List<double> Exit { get; } = [];

    public List<double> PeakRss { get; } = [];

    public List<double> ClientCreate { get; } = [];

    public List<double> FirstCall { get; } = [];

    public List<double> SecondCall { get; } = [];

    public List<double> FirstInvocation { get; } = [];

    public List<double> EarlyInvocation { get; } = [];

    public List<double> SteadyInvocation { get; } = [];

    public List<double> SteadyCpu { get; } = [];

    public List<double> FirstStreamRate { get; } = [];

    public List<double> FirstStreamCpu { get; } = [];

    public List<double> SecondStreamRate { get; } = [];

    public List<double> SecondStreamCpu { get; } = [];
}

/// <summary>One run of the app: its exit code and output, the line the harness waited for, and when things happened.</summary>
internal sealed record RunResult(int ExitCode, string Output, string? MarkedLine, long Started, long MarkedAt, long Exited);
