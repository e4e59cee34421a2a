#!/usr/bin/env -S dotnet run
// Brings PublicAPI.Unshipped.txt of every packable project in line with its public API, from the public API analyzer's
// own diagnostics, because its code fix cannot run outside an IDE. Run from anywhere: dotnet run eng/update-public-api.cs
//
// Each project is rebuilt (so that the compiler runs even when nothing changed) with the compiler's SARIF log on (PublicApiSarifDir, see src/Directory.Build.props). RS0016
// ("not part of the declared public API") carries the exact declaration line in its APIName property: it is added.
// RS0017 ("part of the declared API, but is either not public or could not be found") names a stale line: it is
// removed. Lines are sorted ordinally under "#nullable enable". PublicAPI.Shipped.txt is never touched: move lines
// there by hand when a version ships.

using System.Diagnostics;
using System.Text.Json;

var root = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Directory.GetCurrentDirectory(), ".."));
string[] projects = ["src/Strands.Bedrock/Strands.Bedrock.csproj", "src/Strands.Bedrock.Testing/Strands.Bedrock.Testing.csproj"];
var sarifDirectory = Directory.CreateTempSubdirectory("public-api-").FullName;

foreach (var project in projects)
{
    var projectPath = Path.Combine(root, project);
    var unshipped = Path.Combine(Path.GetDirectoryName(projectPath)!, "PublicAPI.Unshipped.txt");
    var sarif = Path.Combine(sarifDirectory, Path.GetFileNameWithoutExtension(projectPath) + ".sarif");
    for (var round = 1; ; round++)
    {
        File.Delete(sarif);
        var start = new ProcessStartInfo("dotnet", ["build", projectPath, "--no-incremental", "-nologo", "-v", "q", $"-p:PublicApiSarifDir={sarifDirectory}"])
        {
            RedirectStandardOutput = true, // RS0016 errors by the thousand on the first round; the SARIF log has them.
        };
        using var build = Process.Start(start)!;
        build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        if (!File.Exists(sarif))
        {
            Console.Error.WriteLine($"{project}: the build wrote no SARIF log (exit code {build.ExitCode}).");
            return 1;
        }

        var (added, removed) = Diagnostics(sarif);
        if (added.Count == 0 && removed.Count == 0)
        {
            Console.WriteLine($"{project}: PublicAPI.Unshipped.txt is up to date (build exit code {build.ExitCode}).");
            if (build.ExitCode != 0)
            {
                return build.ExitCode;
            }

            break;
        }

        if (round == 3)
        {
            Console.Error.WriteLine($"{project}: still {added.Count} undeclared and {removed.Count} stale entries after {round} rounds.");
            return 1;
        }

        var lines = File.Exists(unshipped) ? File.ReadAllLines(unshipped).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet(StringComparer.Ordinal) : [];
        lines.ExceptWith(removed);
        lines.UnionWith(added);
        File.WriteAllLines(unshipped, ["#nullable enable", .. lines.Order(StringComparer.Ordinal)]);
        Console.WriteLine($"{project}: {added.Count} entries added, {removed.Count} removed.");
    }
}

Directory.Delete(sarifDirectory, recursive: true);
return 0;

static (HashSet<string> Added, HashSet<string> Removed) Diagnostics(string sarifPath)
{
    using var document = JsonDocument.Parse(File.ReadAllBytes(sarifPath));
    var added = new HashSet<string>(StringComparer.Ordinal);
    var removed = new HashSet<string>(StringComparer.Ordinal);
    foreach (var run in document.RootElement.GetProperty("runs").EnumerateArray())
    {
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            var rule = result.GetProperty("ruleId").GetString();
            if (rule == "RS0016"
                && result.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("customProperties", out var custom)
                && custom.TryGetProperty("APIName", out var name))
            {
                added.Add(name.GetString()!);
            }
            else if (rule == "RS0017")
            {
                // "Symbol '<line>' is part of the declared API, but is either not public or could not be found"
                var message = result.GetProperty("message").GetProperty("text").GetString()!;
                var start = message.IndexOf('\'', StringComparison.Ordinal) + 1;
                var end = message.LastIndexOf("' is part of the declared API", StringComparison.Ordinal);
                if (start > 0 && end > start)
                {
                    removed.Add(message[start..end]);
                }
            }
        }
    }

    return (added, removed);
}
