using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Strands.Bedrock.Testing;

/// <summary>
/// An independent AWS Signature Version 4 verifier (no AWSSDK.Core code): recomputes the canonical request, the string
/// to sign and the signature of a captured request, and compares the signature with the one in its
/// <c>Authorization</c> header. Non-S3 rules: every path segment is URI-encoded a second time, and the path is not
/// normalised. Shared by the unit tests and the fake Bedrock server.
/// </summary>
public static class SigV4Verifier
{
    /// <summary>The only algorithm verified.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Verifies a request captured as an <see cref="HttpRequestMessage"/> (its body passed separately, as read before it was disposed).</summary>
    /// <param name="request">The request as the inner handler saw it.</param>
    /// <param name="body">The body bytes (empty for none).</param>
    /// <param name="secretKey">The secret key of the access key the request names.</param>
    /// <returns>The verdict and the intermediate values.</returns>
    public static SigV4Result Verify(HttpRequestMessage request, ReadOnlySpan<byte> body, string secretKey) =>
        Verify(SigV4Request.From(request, body.ToArray()), _ => secretKey);

    /// <summary>Verifies a request given in raw form (as a server receives it).</summary>
    /// <param name="request">Method, raw path and query, headers and body.</param>
    /// <param name="secretForAccessKey">Returns the secret key of an access key id, or null for an unknown key.</param>
    /// <returns>The verdict and the intermediate values.</returns>
    public static SigV4Result Verify(SigV4Request request, Func<string, string?> secretForAccessKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(secretForAccessKey);

        var authorization = request.Header("authorization");
        if (authorization is null)
        {
            return SigV4Result.Fail("no Authorization header");
        }

        if (!TryParseAuthorization(authorization, out var auth, out var why))
        {
            return SigV4Result.Fail(why);
        }

        var amzDate = request.Header("x-amz-date");
        if (amzDate is null || !DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            return SigV4Result.Fail("missing or malformed X-Amz-Date");
        }

        if (auth.Date != amzDate[..8])
        {
            return SigV4Result.Fail($"credential scope date {auth.Date} does not match X-Amz-Date {amzDate}");
        }

        if (!auth.SignedHeaders.Contains("host") || !auth.SignedHeaders.Contains("x-amz-date"))
        {
            return SigV4Result.Fail("host and x-amz-date must be signed");
        }

        var payloadHash = Hex(SHA256.HashData(request.Body));
        var declaredHash = request.Header("x-amz-content-sha256");
        if (declaredHash is not null && declaredHash != payloadHash && declaredHash != "UNSIGNED-PAYLOAD")
        {
            return SigV4Result.Fail("X-Amz-Content-SHA256 does not match the body");
        }

        var canonicalHeaders = new StringBuilder();
        foreach (var name in auth.SignedHeaders)
        {
            var values = request.HeaderValues(name);
            if (values.Count == 0)
            {
                return SigV4Result.Fail($"signed header '{name}' is missing from the request");
            }

            canonicalHeaders.Append(name).Append(':').Append(string.Join(',', values.Select(TrimAll))).Append('\n');
        }

        var canonicalRequest = string.Join('\n',
            request.Method.ToUpperInvariant(),
            CanonicalUri(request.RawPath),
            CanonicalQuery(request.RawQuery),
            canonicalHeaders.ToString(),
            string.Join(';', auth.SignedHeaders),
            declaredHash == "UNSIGNED-PAYLOAD" ? declaredHash : payloadHash);

        var scope = $"{auth.Date}/{auth.Region}/{auth.Service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

        var secret = secretForAccessKey(auth.AccessKeyId);
        if (secret is null)
        {
            return SigV4Result.Fail($"unknown access key id {auth.AccessKeyId}");
        }

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), auth.Date);
        key = Hmac(key, auth.Region);
        key = Hmac(key, auth.Service);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));

        var valid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(auth.Signature));
        return new SigV4Result(
            valid,
            valid ? null : "signature mismatch",
            auth.AccessKeyId,
            auth.Region,
            auth.Service,
            signedAt,
            auth.SignedHeaders,
            canonicalRequest,
            stringToSign,
            expected,
            auth.Signature);
    }

    /// <summary>The canonical URI of a raw (already percent-encoded) path: each segment encoded again.</summary>
    /// <param name="rawPath">The path as sent on the wire.</param>
    /// <returns>The canonical URI.</returns>
    public static string CanonicalUri(string rawPath)
    {
        if (string.IsNullOrEmpty(rawPath))
        {
            return "/";
        }

        return string.Join('/', rawPath.Split('/').Select(UriEncode));
    }

    /// <summary>RFC 3986 encoding as SigV4 defines it: unreserved characters kept, everything else <c>%XX</c> (upper case) per UTF-8 byte.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The encoded text.</returns>
    public static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CanonicalQuery(string? rawQuery)
    {
        var query = rawQuery?.TrimStart('?');
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        return string.Join('&', query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: UriEncode(name), Value: UriEncode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    private static string TrimAll(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c == ' ')
            {
                if (!space)
                {
                    builder.Append(c);
                }

                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }

        return builder.ToString();
    }

    private static bool TryParseAuthorization(string header, out ParsedAuthorization result, out string reason)
    {
        result = default;
        if (!header.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            reason = "the Authorization header is not AWS4-HMAC-SHA256";
            return false;
        }

        string? credential = null, signedHeaders = null, signature = null;
        foreach (var part in header[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            var value = part[(eq + 1)..];
            switch (part[..eq])
            {
                case "Credential": credential = value; break;
                case "SignedHeaders": signedHeaders = value; break;
                case "Signature": signature = value; break;
            }
        }

        var scope = credential?.Split('/');
        if (scope is not { Length: 5 } || scope[4] != "aws4_request" || signedHeaders is null || signature is null)
        {
            reason = "the Authorization header lacks Credential, SignedHeaders or Signature";
            return false;
        }

        var headers = signedHeaders.Split(';');
        if (!headers.SequenceEqual(headers.Order(StringComparer.Ordinal)) || headers.Any(h => h.Any(char.IsAsciiLetterUpper)))
        {
            reason = "SignedHeaders must be lower case and sorted";
            return false;
        }

        result = new ParsedAuthorization(scope[0], scope[1], scope[2], scope[3], headers, signature);
        reason = string.Empty;
        return true;
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private readonly record struct ParsedAuthorization(string AccessKeyId, string Date, string Region, string Service, string[] SignedHeaders, string Signature);
}

/// <summary>A request in the raw form a server sees it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawPath">The path exactly as sent (percent-encoded).</param>
/// <param name="RawQuery">The query as sent, with or without the leading <c>?</c>; null or empty for none.</param>
/// <param name="Headers">The headers (names case-insensitive; repeated names allowed).</param>
/// <param name="Body">The body bytes.</param>
public sealed record SigV4Request(string Method, string RawPath, string? RawQuery, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Builds the raw form of a captured <see cref="HttpRequestMessage"/>; <c>Host</c> comes from the URI unless set.</summary>
    /// <param name="request">The request.</param>
    /// <param name="body">Its body bytes.</param>
    /// <returns>The raw request.</returns>
    public static SigV4Request From(HttpRequestMessage request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value));
            }
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.NonValidated)
            {
                foreach (var value in header.Value)
                {
                    headers.Add(new(header.Key, value));
                }
            }
        }

        if (!headers.Any(h => string.Equals(h.Key, "host", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Host", uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}"));
        }

        return new SigV4Request(request.Method.Method, uri.AbsolutePath, uri.Query, headers, body);
    }

    /// <summary>The first value of a header, or null.</summary>
    /// <param name="name">The header name (any case).</param>
    /// <returns>The value.</returns>
    public string? Header(string name)
    {
        var values = HeaderValues(name);
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>All values of a header, in order.</summary>
    /// <param name="name">The header name (any case).</param>
    /// <returns>The values.</returns>
    public IReadOnlyList<string> HeaderValues(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
}

/// <summary>The verdict of <see cref="SigV4Verifier"/>.</summary>
/// <param name="IsValid">Whether the signature is correct.</param>
/// <param name="FailureReason">Why not, when it is not.</param>
/// <param name="AccessKeyId">The access key id of the credential scope.</param>
/// <param name="Region">The region of the credential scope.</param>
/// <param name="Service">The service of the credential scope.</param>
/// <param name="SignedAt">The X-Amz-Date.</param>
/// <param name="SignedHeaders">The signed header names.</param>
/// <param name="CanonicalRequest">The recomputed canonical request.</param>
/// <param name="StringToSign">The recomputed string to sign.</param>
/// <param name="ExpectedSignature">The recomputed signature.</param>
/// <param name="ActualSignature">The signature the request carried.</param>
public sealed record SigV4Result(
    bool IsValid,
    string? FailureReason,
    string? AccessKeyId = null,
    string? Region = null,
    string? Service = null,
    DateTimeOffset? SignedAt = null,
    IReadOnlyList<string>? SignedHeaders = null,
    string? CanonicalRequest = null,
    string? StringToSign = null,
    string? ExpectedSignature = null,
    string? ActualSignature = null)
{
    internal static SigV4Result Fail(string reason) => new(false, reason);
}
