using System.Text.RegularExpressions;

namespace Strands.Tests.Docs;

/// <summary>
/// Every C# block of the Python → C# guide (docs/python-to-csharp.md) and of the README is code the build compiles:
/// it must appear verbatim as a snippet region of a sample or a test, marked <c>// &lt;snippet:name&gt;</c> …
/// <c>// &lt;/snippet:name&gt;</c> (compared after removing the region's common indentation).
/// </summary>
public sealed partial class GuideSnippetsTests
{
    private static readonly string Root = FindRepositoryRoot();

    // The code examples of the revision of the Strands "Amazon Bedrock" page this project ports, copied verbatim.
    private const string PageExamples = "tests/Strands.Bedrock.Tests/Docs/bedrock-page-examples.md";

    public static TheoryData<string> Documents => ["docs/python-to-csharp.md", "README.md"];

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_csharp_block_is_a_compiled_snippet(string document)
    {
        var snippets = Snippets();
        var blocks = CSharpBlocks(File.ReadAllText(Path.Combine(Root, document)));

        Assert.NotEmpty(blocks);
        var missing = blocks.Where(block => !snippets.ContainsValue(block)).Select(block => block.Split('\n')[0]).ToList();
        Assert.True(
            missing.Count == 0,
            $"{document}: these C# blocks are not, verbatim, a snippet region of samples/ or tests/ (copy the region, or fix it):\n  "
            + string.Join("\n  ", missing));
    }

    [Fact]
    public void The_guide_quotes_the_python_examples_of_the_page_verbatim_and_in_order()
    {
        var guide = Fences(File.ReadAllText(Path.Combine(Root, "docs", "python-to-csharp.md")));
        var page = Fences(File.ReadAllText(Path.Combine(Root, PageExamples)));

        // Additions go in sections of their own, in C#: every Python block of the guide is one of the page's.
        var pagePython = page.Where(f => f.Lang == "python").Select(f => f.Body).ToList();
        var guidePython = guide.Where(f => f.Lang == "python").Select(f => f.Body).ToList();
        Assert.Equal(14, pagePython.Count);
        for (var i = 0; i < Math.Max(pagePython.Count, guidePython.Count); i++)
        {
            Assert.True(
                i < pagePython.Count && i < guidePython.Count && pagePython[i] == guidePython[i],
                $"Python block {i + 1} of the guide is not, verbatim, the page's Python example {i + 1}:\n"
                + (i < guidePython.Count ? guidePython[i] : "(missing)") + "\n--- the page's:\n" + (i < pagePython.Count ? pagePython[i] : "(none)"));
        }

        var guideShell = guide.Where(f => f.Lang == "bash").Select(f => f.Body).ToHashSet();
        Assert.All(page.Where(f => f.Lang == "bash"), f => Assert.Contains(f.Body, guideShell));
    }

    [Fact]
    public void The_guide_has_a_csharp_twin_for_every_python_block()
    {
        var fences = Fences(File.ReadAllText(Path.Combine(Root, "docs", "python-to-csharp.md"))).Select(f => f.Lang).ToList();

        // Each Python block is followed by its C# twin before the next Python block.
        var pythonWithoutTwin = fences.Select((lang, i) => (lang, next: fences.Skip(i + 1).FirstOrDefault(l => l is "python" or "csharp")))
            .Count(f => f.lang == "python" && f.next != "csharp");
        Assert.Equal(0, pythonWithoutTwin);
    }

    [Fact]
    public void Snippet_regions_are_closed_and_named_once()
    {
        var names = new List<string>();
        foreach (var file in SourceFiles())
        {
            var text = Normalize(File.ReadAllText(file));
            var opened = OpenRegex().Matches(text).Select(m => m.Groups["name"].Value).ToList();
            var closed = CloseRegex().Matches(text).Select(m => m.Groups["name"].Value).ToList();
            Assert.True(opened.SequenceEqual(closed), $"{file}: snippet regions opened ({string.Join(", ", opened)}) and closed ({string.Join(", ", closed)}) differ.");
            names.AddRange(opened);
        }

        Assert.Contains("quickstart", names);
        Assert.Empty(names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    private static Dictionary<string, string> Snippets()
    {
        var snippets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in SourceFiles())
        {
            foreach (Match region in RegionRegex().Matches(Normalize(File.ReadAllText(file))))
            {
                snippets[region.Groups["name"].Value] = Dedent(region.Groups["body"].Value);
            }
        }

        return snippets;
    }

    private static List<string> CSharpBlocks(string markdown) =>
        [.. Fences(markdown).Where(f => f.Lang == "csharp").Select(f => Dedent(f.Body))];

    private static List<(string Lang, string Body)> Fences(string markdown) =>
        [.. FenceRegex().Matches(Normalize(markdown)).Select(m => (m.Groups["lang"].Value, m.Groups["body"].Value.TrimEnd()))];

    private static IEnumerable<string> SourceFiles() =>
        new[] { "samples", "tests" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(Root, dir), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    // Removes the indentation common to the non-blank lines, and surrounding blank lines.
    private static string Dedent(string body)
    {
        var lines = body.Trim('\n').Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart(' ').Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.Trim()));
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Strands.Bedrock.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} contains Strands.Bedrock.sln.");
    }

    [GeneratedRegex(@"^[ \t]*// <snippet:(?<name>[\w-]+)>[ \t]*\n(?<body>.*?)^[ \t]*// </snippet:\k<name>>[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex RegionRegex();

    [GeneratedRegex(@"^[ \t]*// <snippet:(?<name>[\w-]+)>[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex OpenRegex();

    [GeneratedRegex(@"^[ \t]*// </snippet:(?<name>[\w-]+)>[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex CloseRegex();

    [GeneratedRegex(@"^```(?<lang>[\w-]*)[ \t]*\n(?<body>.*?)^```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FenceRegex();
}
