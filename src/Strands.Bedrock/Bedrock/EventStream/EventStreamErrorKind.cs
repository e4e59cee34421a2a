namespace Strands.Bedrock.EventStream;

/// <summary>What went wrong while decoding an event stream; see <see cref="EventStreamException.Kind"/>.</summary>
public enum EventStreamErrorKind
{
    /// <summary>The frame is structurally invalid: bad lengths, a header out of bounds, an unknown header type code.</summary>
    MalformedFrame = 0,

    /// <summary>The CRC-32 of the 8-byte prelude does not match the prelude checksum.</summary>
    PreludeChecksumMismatch = 1,

    /// <summary>The CRC-32 of the frame does not match the trailing message checksum.</summary>
    MessageChecksumMismatch = 2,

    /// <summary>The stream ended in the middle of a frame.</summary>
    TruncatedFrame = 3,

    /// <summary>The frame's declared total length exceeds the reader's maximum frame length.</summary>
    FrameTooLarge = 4,
}
