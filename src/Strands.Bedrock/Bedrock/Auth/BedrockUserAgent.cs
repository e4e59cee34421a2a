using System.Reflection;
using System.Text;
using Amazon.Runtime;

namespace Strands.Bedrock;

/// <summary>
/// Builds the <c>User-Agent</c> header, in the AWS SDKs' format:
/// <c>strands-agents-dotnet/{version} lang/dotnet#{runtime} os/{os} md/awssdk-core#{version} strands-agents [suffix]</c>.
/// SigV4 does not sign it, so it can be set after signing.
/// </summary>
internal static class BedrockUserAgent
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "User-Agent";

    private const int MaxSuffixLength = 256;

    private static readonly string Prefix =
        $"strands-agents-dotnet/{Token(LibraryVersion())} lang/dotnet#{Token(Environment.Version.ToString())} " +
        $"os/{OsName()} md/awssdk-core#{Token(AwsSdkCoreVersion())} strands-agents";

    /// <summary>Builds the header value.</summary>
    /// <param name="suffix">
    /// Text to append (<see cref="BedrockClientOptions.UserAgentSuffix"/>); control and non-ASCII characters become
    /// <c>-</c>, and it is cut at 256 characters.
    /// </param>
    /// <returns>The header value.</returns>
    public static string Build(string? suffix)
    {
        if (string.IsNullOrWhiteSpace(suffix))
        {
            return Prefix;
        }

        var trimmed = suffix.Trim();
        if (trimmed.Length > MaxSuffixLength)
        {
            trimmed = trimmed[..MaxSuffixLength];
        }

        var builder = new StringBuilder(Prefix.Length + 1 + trimmed.Length).Append(Prefix).Append(' ');
        foreach (var c in trimmed)
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '-');
        }

        return builder.ToString();
    }

    /// <summary>This library's version: the informational version without its <c>+commit</c> build metadata.</summary>
    internal static string LibraryVersion()
    {
        var assembly = typeof(BedrockUserAgent).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? version[..plus] : version;
    }

    /// <summary>
    /// The AWSSDK.Core version, from its file version (e.g. <c>4.1.0.0</c>): its assembly version stays <c>4.0.0.0</c>
    /// across the 4.x line and its informational version is not the package version.
    /// </summary>
    internal static string AwsSdkCoreVersion()
    {
        var assembly = typeof(AWSCredentials).Assembly;
        return assembly.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
    }

    private static string OsName() =>
        OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsMacOS() ? "macos"
        : OperatingSystem.IsLinux() ? "linux"
        : OperatingSystem.IsAndroid() ? "android"
        : OperatingSystem.IsIOS() ? "ios"
        : "other";

    // The characters the AWS user-agent grammar allows in a token; anything else becomes '-'.
    private static string Token(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal) ? c : '-');
        }

        return builder.ToString();
    }
}
