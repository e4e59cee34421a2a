// Runs the AotAgent executable against FakeBedrockServer, which lives in this process, so the agent makes real HTTP
// requests over loopback: SigV4-signed, answered with event-stream frames. It checks the agent's output and what the
// fake received, and measures the agent's cold start: from just before the process is started to the moment the fake
// receives its first request.
//
//   dotnet run --project samples/AotAgent.Harness -c Release                       # the JIT build (dotnet AotAgent.dll)
//   dotnet run --project samples/AotAgent.Harness -c Release -- --runs 10 path/to/published/AotAgent
//
// Prints "AotAgent OK: ..." and the timings; exits with 1 when a check fails.

using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Strands.Bedrock;
using Strands.Bedrock.Testing;
using Strands.Content;

var runs = 1;
var command = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--runs" && i + 1 < args.Length)
    {
        runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else
    {
        command.AddRange(args[i..]);
        break;
    }
}

if (command.Count == 0)
{
    var assembly = typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "AotAgentAssembly").Value!;
    command.AddRange(["dotnet", assembly]);
}

await using var server = await FakeBedrockServer.StartAsync();
long firstRequestAt = 0;
FakeResponse Respond(RecordedRequest request)
{
    Interlocked.CompareExchange(ref firstRequestAt, Stopwatch.GetTimestamp(), 0);
    var messages = ((ConverseRequestBase?)request.ConverseStreamRequest ?? request.ConverseRequest)?.Messages ?? [];
    var toolResult = messages.Count == 0 ? null : messages[^1].Content.Select(c => c.ToolResult).LastOrDefault(r => r is not null);
    if (toolResult is null)
    {
        return FakeResponse.ToolUse("get_weather", """{"city":"Seattle"}""", "tooluse_weather_1").WithUsage(50, 12);
    }

    // The answer quotes the tool result, so the agent's output shows the tool really ran in the AOT binary.
    var report = toolResult.Content.Select(c => c.Json?.GetRawText() ?? c.Text).FirstOrDefault(t => t is not null) ?? "(empty)";
    return FakeResponse.Text($"It is sunny in Seattle. get_weather returned {report}").WithUsage(80, 20);
}

// Warm the fake up (Kestrel's and the fake's code paths are JIT-compiled on their first request), so that the first
// measured run times the agent, not the harness.
server.RespondWith(Respond);
using (var warmUp = server.CreateClient())
{
    var request = new ConverseStreamRequest { ModelId = "warm-up", Messages = [Message.User("Hi")] };
    await foreach (var unused in warmUp.ConverseStreamAsync(request))
    {
    }
}

var coldStarts = new List<double>();
var totals = new List<double>();
string? answerLine = null;
for (var run = 1; run <= runs; run++)
{
    server.Reset();
    server.RespondWith(Respond);
    Interlocked.Exchange(ref firstRequestAt, 0);
    var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var argument in command.Skip(1))
    {
        start.ArgumentList.Add(argument);
    }

    // The agent finds the fake the way any AWS program finds an endpoint, region and credentials: the environment.
    foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
    {
        start.Environment.Remove(name);
    }

    start.Environment["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = server.Endpoint.ToString();
    start.Environment["AWS_REGION"] = server.Options.Region;
    start.Environment["AWS_ACCESS_KEY_ID"] = FakeBedrockServerOptions.DefaultAccessKeyId;
    start.Environment["AWS_SECRET_ACCESS_KEY"] = FakeBedrockServerOptions.DefaultSecretAccessKey;
    start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";

    var started = Stopwatch.GetTimestamp();
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command[0]}.");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
    {
        await process.WaitForExitAsync(timeout.Token);
    }

    var ended = Stopwatch.GetTimestamp();
    var output = await stdout;
    var errors = await stderr;
    var requests = server.Requests;
    var problems = new List<string>();
    if (process.ExitCode != 0)
    {
        problems.Add($"exit code {process.ExitCode}");
    }

    answerLine = output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith("AotAgent answer: ", StringComparison.Ordinal));
    if (answerLine is null || !answerLine.Contains("\"conditions\":\"sunny\"", StringComparison.Ordinal))
    {
        problems.Add("no answer line quoting the tool result");
    }

    if (requests.Count != 2)
    {
        problems.Add($"{requests.Count} requests instead of 2 (tool use, then the answer)");
    }

    foreach (var request in requests)
    {
        if (request.Operation != FakeOperation.ConverseStream || !request.IsAuthenticated || request.StatusCode != 200)
        {
            problems.Add($"request {request}: operation {request.Operation}, authenticated {request.IsAuthenticated}");
        }
    }

    if (problems.Count > 0)
    {
        Console.Error.WriteLine($"AotAgent FAILED (run {run}): {string.Join("; ", problems)}");
        Console.Error.WriteLine($"--- stdout ---\n{output}--- stderr ---\n{errors}");
        return 1;
    }

    coldStarts.Add(Stopwatch.GetElapsedTime(started, Interlocked.Read(ref firstRequestAt)).TotalMilliseconds);
    totals.Add(Stopwatch.GetElapsedTime(started, ended).TotalMilliseconds);
}

Console.WriteLine($"AotAgent OK: {answerLine}");
Console.WriteLine($"requests: 2 ConverseStream calls per run, SigV4-verified, over HTTP/1.1 on {server.Endpoint}");
Console.WriteLine($"cold start (process start -> first request at the fake): {Summary(coldStarts)}");
Console.WriteLine($"whole run (process start -> exit): {Summary(totals)}");
return 0;

static string Summary(List<double> values)
{
    var sorted = values.Order().ToList();
    var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    return string.Create(CultureInfo.InvariantCulture, $"median {median:F1} ms, min {sorted[0]:F1} ms, max {sorted[^1]:F1} ms over {sorted.Count} run(s); first run {values[0]:F1} ms");
}
