using System.Reflection;

namespace Strands.Samples;

/// <summary>How to start this program again: its executable, or <c>dotnet</c> with its assembly when run that way.</summary>
internal static class SelfCommand
{
    private static readonly bool RunByDotnet = System.IO.Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet";

    /// <summary>The command.</summary>
    public static string Path => Environment.ProcessPath!;

    /// <summary>The arguments that come before this program's own.</summary>
    public static string[] Arguments => RunByDotnet ? [Assembly.GetEntryAssembly()!.Location] : [];
}
