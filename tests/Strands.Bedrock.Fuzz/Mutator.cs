using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Strands.Bedrock.Fuzz;

/// <summary>A mutated response stream: its bytes, how many frames were changed, and which operators changed them.</summary>
/// <param name="Bytes">The body to serve.</param>
/// <param name="MutatedFrames">The frames that differ from the base stream (counting inserted and dropped ones).</param>
/// <param name="Operators">The mutation operators applied, in order.</param>
internal sealed record MutatedStream(byte[] Bytes, int MutatedFrames, IReadOnlyList<string> Operators);

/// <summary>
/// Mutates a valid stream. Most operators change one frame's payload or headers and re-encode it with correct lengths
/// and CRCs, so the damage reaches the JSON decoder and the agent; the rest damage the framing itself (a flipped bit,
/// a lying length with a valid prelude CRC, a cut stream) or the order of frames.
/// </summary>
internal static class Mutator
{
    private static readonly string[] EventTypes = ["messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata", "someFutureEvent", ""];
    private static readonly string[] ExceptionTypes = ["throttlingException", "modelStreamErrorException", "validationException", "internalServerException", "serviceUnavailableException", "modelTimeoutException", "fooException", ""];
    private static readonly string[] MessageTypes = ["event", "exception", "error", "Event", "", "bogus"];

    private static readonly string[] Escapes =
    [
        "\\uDC00", "\\uD800", "\\uD800\\u0041", "\\uDBFF\\uDFFF", "\\u0000", "\\u001f", "\\\\", "\\\"", "\\x41", "\\u12", "\\", "\\uZZZZ", "\\ud83d\\ude00",
    ];

    private static readonly string[] Numbers =
    [
        "-1", "0", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1e400", "-1e400", "1.5", "1e2", "00", "-0", "NaN", "Infinity", "\"1\"", "0x10", "1.", ".5",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "\"\"", "\"x\"", "{}", "[]", "[null]", "{\"a\":1}", "[{}]", "\"end_turn\"", "\"tool_use\"", "\"max_tokens\"", "\"assistant\"", "\"user\"",
    ];

    private static readonly byte[][] BadUtf8 =
    [
        [0xFF], [0xFE], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0x80], [0xBF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3], [0x00],
    ];

    private static readonly string[] KnownKeys =
    [
        "contentBlockIndex", "delta", "text", "toolUse", "input", "reasoningContent", "signature", "redactedContent", "citation", "start", "toolUseId", "name",
        "role", "stopReason", "usage", "metrics", "trace", "inputTokens", "outputTokens", "totalTokens", "latencyMs", "guardrail", "additionalModelResponseFields",
        "message", "originalStatusCode", "originalMessage", "p", "type", "image", "toolResult", "status", "content", "location", "web", "url",
    ];

    /// <summary>Applies one to three mutations to a copy of <paramref name="frames"/>.</summary>
    public static MutatedStream Mutate(IReadOnlyList<Frame> frames, Random random)
    {
        var encoded = frames.Select(f => f.Encode()).ToList();
        var operators = new List<string>();
        var changed = new HashSet<int>();
        var extra = 0;
        var count = 1 + random.Next(3);
        for (var m = 0; m < count; m++)
        {
            var index = random.Next(encoded.Count);
            var roll = random.Next(100);
            if (roll < 60)
            {
                var (frame, op) = MutateFrame(Decode(frames, encoded, index), random);
                encoded[index] = frame.Encode();
                operators.Add(op);
                changed.Add(index);
            }
            else if (roll < 80)
            {
                var (bytes, op) = MutateFraming(encoded[index], random);
                encoded[index] = bytes;
                operators.Add(op);
                changed.Add(index);
            }
            else
            {
                operators.Add(MutateSequence(encoded, random, ref extra));
                changed.Add(index);
            }
        }

        var body = encoded.SelectMany(b => b).ToArray();
        if (random.Next(20) == 0)
        {
            // Cut the whole stream anywhere: a connection that ends early.
            body = body[..random.Next(body.Length + 1)];
            operators.Add("truncate-stream");
        }

        return new MutatedStream(body, Math.Max(changed.Count + extra, 1), operators);
    }

    // Frames of the base stream are immutable records: a frame already mutated to bytes is re-read as a raw payload.
    private static Frame Decode(IReadOnlyList<Frame> frames, List<byte[]> encoded, int index) =>
        index < frames.Count && encoded[index].AsSpan().SequenceEqual(frames[index].Encode()) ? frames[index] : TryParse(encoded[index]) ?? frames[index % frames.Count];

    private static Frame? TryParse(byte[] bytes)
    {
        try
        {
            if (bytes.Length < 16)
            {
                return null;
            }

            var headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4));
            if (headersLength < 0 || 12 + headersLength > bytes.Length - 4)
            {
                return null;
            }

            var headers = new List<RawHeader>();
            var p = 12;
            var end = 12 + headersLength;
            while (p < end)
            {
                int nameLength = bytes[p++];
                var name = bytes[p..(p + nameLength)];
                p += nameLength;
                var type = bytes[p++];
                int valueLength = type switch
                {
                    0 or 1 => 0,
                    2 => 1,
                    3 => 2,
                    4 => 4,
                    5 or 8 => 8,
                    9 => 16,
                    6 or 7 => BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(p)) + 2,
                    _ => throw new FormatException(),
                };
                var value = type is 6 or 7 ? bytes[(p + 2)..(p + valueLength)] : bytes[p..(p + valueLength)];
                p += valueLength;
                headers.Add(new RawHeader(name, type, value));
            }

            return new Frame(headers, bytes[end..^4]);
        }
        catch (Exception ex) when (ex is ArgumentException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }

    private static (Frame Frame, string Operator) MutateFrame(Frame frame, Random random)
    {
        var payload = frame.Payload;
        switch (random.Next(16))
        {
            case 0:
                return (frame with { Payload = FlipBit(payload, random) }, "payload-bitflip");
            case 1:
                return (frame with { Payload = Insert(payload, random.Next(payload.Length + 1), BadUtf8[random.Next(BadUtf8.Length)]) }, "payload-invalid-utf8");
            case 2:
                return (frame with { Payload = InsertInString(payload, Escapes[random.Next(Escapes.Length)], random) }, "payload-escape");
            case 3:
                return (frame with { Payload = payload[..random.Next(payload.Length + 1)] }, "payload-truncate");
            case 4:
                return (frame with { Payload = DeleteRange(payload, random) }, "payload-delete");
            case 5:
                return (frame with { Payload = DuplicateRange(payload, random) }, "payload-duplicate");
            case 6:
                return (frame with { Payload = ReplaceToken(payload, random, IsNumberStart, Numbers[random.Next(Numbers.Length)]) }, "payload-number");
            case 7:
                return (frame with { Payload = ReplaceValue(payload, random, Values[random.Next(Values.Length)]) }, "payload-value");
            case 8:
                return (frame with { Payload = RenameKey(payload, random) }, "payload-key");
            case 9:
                return (frame with { Payload = Nest(payload, random) }, "payload-nesting");
            case 10:
                return (frame with { Payload = RandomBytes(random) }, "payload-random");
            case 11:
                return (frame with { Payload = Encoding.UTF8.GetBytes(Values[random.Next(Values.Length)]) }, "payload-scalar");
            case 12:
                return (SetHeader(frame, ":event-type", EventTypes[random.Next(EventTypes.Length)]), "header-event-type");
            case 13:
                var becomes = MessageTypes[random.Next(MessageTypes.Length)];
                var result = SetHeader(frame, ":message-type", becomes);
                if (becomes == "exception")
                {
                    result = SetHeader(result, ":exception-type", ExceptionTypes[random.Next(ExceptionTypes.Length)]);
                }

                return (result, "header-message-type");
            case 14:
                return (MutateHeaderBytes(frame, random), "header-bytes");
            default:
                var headers = frame.Headers.ToList();
                if (headers.Count > 0)
                {
                    headers.RemoveAt(random.Next(headers.Count));
                }

                return (frame with { Headers = headers }, "header-drop");
        }
    }

    private static (byte[] Bytes, string Operator) MutateFraming(byte[] frame, Random random)
    {
        var copy = frame.ToArray();
        if (copy.Length < 16)
        {
            return (FlipBit(copy, random), "frame-bitflip");
        }

        switch (random.Next(4))
        {
            case 0:
                return (FlipBit(copy, random), "frame-bitflip");
            case 1:
                // A lying length with a valid prelude CRC reaches the length checks, not the CRC check.
                BinaryPrimitives.WriteUInt32BigEndian(copy, (uint)random.Next(-8, copy.Length * 2));
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(8), Crc32.HashToUInt32(copy.AsSpan(0, 8)));
                return (copy, "frame-total-length");
            case 2:
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(4), (uint)random.Next(-8, copy.Length * 2));
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(8), Crc32.HashToUInt32(copy.AsSpan(0, 8)));
                BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(copy.Length - 4), Crc32.HashToUInt32(copy.AsSpan(0, copy.Length - 4)));
                return (copy, "frame-headers-length");
            default:
                return (copy[..random.Next(copy.Length)], "frame-truncate");
        }
    }

    private static string MutateSequence(List<byte[]> frames, Random random, ref int extra)
    {
        var i = random.Next(frames.Count);
        var j = random.Next(frames.Count);
        switch (random.Next(4))
        {
            case 0:
                if (frames.Count > 1)
                {
                    frames.RemoveAt(i);
                }

                return "drop-frame";
            case 1:
                frames.Insert(j, frames[i]);
                extra++;
                return "duplicate-frame";
            case 2:
                (frames[i], frames[j]) = (frames[j], frames[i]);
                return "swap-frames";
            default:
                frames.Insert(j, Frame.Event(EventTypes[random.Next(6)], Encoding.UTF8.GetString(RandomJsonish(random))).Encode());
                extra++;
                return "insert-frame";
        }
    }

    private static Frame SetHeader(Frame frame, string name, string value)
    {
        var headers = frame.Headers.Where(h => !h.Name.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(name))).ToList();
        headers.Add(RawHeader.String(name, value));
        return frame with { Headers = headers };
    }

    private static Frame MutateHeaderBytes(Frame frame, Random random)
    {
        if (frame.Headers.Count == 0)
        {
            return frame;
        }

        var headers = frame.Headers.ToList();
        var k = random.Next(headers.Count);
        var header = headers[k];
        headers[k] = random.Next(4) switch
        {
            0 => header with { Value = Insert(header.Value, random.Next(header.Value.Length + 1), BadUtf8[random.Next(BadUtf8.Length)]) },
            1 => header with { Name = Insert(header.Name, random.Next(header.Name.Length + 1), BadUtf8[random.Next(BadUtf8.Length)]) },
            2 => header with { Type = (byte)random.Next(0, 10), Value = header.Value.Length > 0 ? header.Value[..Math.Min(header.Value.Length, random.Next(0, 17))] : header.Value },
            _ => header with { Value = FlipBit(header.Value, random) },
        };
        return frame with { Headers = headers };
    }

    private static byte[] FlipBit(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var copy = bytes.ToArray();
        copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        return copy;
    }

    private static byte[] Insert(byte[] bytes, int at, ReadOnlySpan<byte> insertion) => [.. bytes.AsSpan(0, at), .. insertion, .. bytes.AsSpan(at)];

    private static byte[] DeleteRange(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var start = random.Next(bytes.Length);
        var length = random.Next(1, Math.Min(16, bytes.Length - start) + 1);
        return [.. bytes.AsSpan(0, start), .. bytes.AsSpan(start + length)];
    }

    private static byte[] DuplicateRange(byte[] bytes, Random random)
    {
        if (bytes.Length == 0)
        {
            return bytes;
        }

        var start = random.Next(bytes.Length);
        var length = random.Next(1, Math.Min(32, bytes.Length - start) + 1);
        return Insert(bytes, random.Next(bytes.Length + 1), bytes.AsSpan(start, length));
    }

    /// <summary>Inserts an escape sequence just after the opening quote of a random string.</summary>
    private static byte[] InsertInString(byte[] bytes, string escape, Random random)
    {
        var quotes = Positions(bytes, b => b == (byte)'"');
        var at = quotes.Count == 0 ? random.Next(bytes.Length + 1) : quotes[random.Next(quotes.Count)] + 1;
        return Insert(bytes, at, Encoding.ASCII.GetBytes(escape));
    }

    private static bool IsNumberStart(byte b) => b is (byte)'-' or >= (byte)'0' and <= (byte)'9';

    private static byte[] ReplaceToken(byte[] bytes, Random random, Func<byte, bool> isStart, string replacement)
    {
        var starts = Positions(bytes, isStart);
        if (starts.Count == 0)
        {
            return bytes;
        }

        var start = starts[random.Next(starts.Count)];
        var end = start;
        while (end < bytes.Length && (IsNumberStart(bytes[end]) || bytes[end] is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+'))
        {
            end++;
        }

        return [.. bytes.AsSpan(0, start), .. Encoding.ASCII.GetBytes(replacement), .. bytes.AsSpan(end)];
    }

    /// <summary>Replaces the value after a random colon (up to the next comma or closing brace) with <paramref name="value"/>.</summary>
    private static byte[] ReplaceValue(byte[] bytes, Random random, string value)
    {
        var colons = Positions(bytes, b => b == (byte)':');
        if (colons.Count == 0)
        {
            return bytes;
        }

        var start = colons[random.Next(colons.Count)] + 1;
        var depth = 0;
        var inString = false;
        var end = start;
        for (; end < bytes.Length; end++)
        {
            var b = bytes[end];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    end++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)'{' or (byte)'[')
            {
                depth++;
            }
            else if (b is (byte)'}' or (byte)']' or (byte)',')
            {
                if (depth == 0)
                {
                    break;
                }

                if (b != (byte)',')
                {
                    depth--;
                }
            }
        }

        return [.. bytes.AsSpan(0, start), .. Encoding.UTF8.GetBytes(value), .. bytes.AsSpan(Math.Min(end, bytes.Length))];
    }

    private static byte[] RenameKey(byte[] bytes, Random random)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var key = KnownKeys[random.Next(KnownKeys.Length)];
        var target = KnownKeys[random.Next(KnownKeys.Length)];
        var quoted = "\"" + key + "\"";
        var at = text.IndexOf(quoted, StringComparison.Ordinal);
        return at < 0 ? bytes : Encoding.UTF8.GetBytes(text[..at] + "\"" + target + "\"" + text[(at + quoted.Length)..]);
    }

    private static byte[] Nest(byte[] bytes, Random random)
    {
        var depth = random.Next(1, 200);
        var open = random.Next(2) == 0 ? "[" : "{\"a\":";
        var close = open == "[" ? "]" : "}";
        return ReplaceValue(bytes, random, string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth)));
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] RandomJsonish(Random random)
    {
        var builder = new StringBuilder("{");
        var members = random.Next(0, 4);
        for (var i = 0; i < members; i++)
        {
            builder.Append(i > 0 ? "," : "").Append('"').Append(KnownKeys[random.Next(KnownKeys.Length)]).Append("\":").Append(Values[random.Next(Values.Length)]);
        }

        return Encoding.UTF8.GetBytes(builder.Append('}').ToString());
    }

    private static List<int> Positions(byte[] bytes, Func<byte, bool> predicate)
    {
        var positions = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (predicate(bytes[i]))
            {
                positions.Add(i);
            }
        }

        return positions;
    }
}
