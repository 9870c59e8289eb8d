using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace ReactivePorts.Framing;

/// <summary>
/// Throw sites kept out of the hot paths: a method that only throws is never inlined, so the
/// decoders' loops stay small (the runtime's ThrowHelper pattern).
/// </summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowPayloadTooLarge(int payloadLength, int limit, int headerSize, int maxPacketSize) =>
        throw CreatePayloadTooLarge(payloadLength, limit, headerSize, maxPacketSize);

    [DoesNotReturn]
    public static void ThrowArgumentNull(string paramName) => throw new ArgumentNullException(paramName);

    [DoesNotReturn]
    public static void ThrowOwnershipOutOfRange(ChunkOwnership ownership) =>
        throw new ArgumentOutOfRangeException(nameof(ownership), ownership, "Unknown chunk ownership.");

    [DoesNotReturn]
    public static void ThrowAssemblyCountOutOfRange(int count, int space) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, $"The count must be between 0 and the assembly space's {space} bytes.");

    [DoesNotReturn]
    public static void ThrowDecoderBusy() =>
        throw new InvalidOperationException(
            "The decoder cannot be used: an earlier call did not return normally (its packet sink threw) or the decoder was re-entered from its sink.");

    [DoesNotReturn]
    public static void ThrowDecoderFaulted(Exception fault) =>
        throw new InvalidOperationException($"The decoder failed earlier and cannot decode further: {fault.Message}", fault);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ArgumentException CreatePayloadTooLarge(int payloadLength, int limit, int headerSize, int maxPacketSize)
    {
        var why = limit < maxPacketSize
            ? $"the largest a {headerSize}-byte header can express"
            : "the maximum packet size";
        return new ArgumentException(
            $"The payload is {payloadLength} bytes, over the limit of {limit} bytes ({why}).", "payload");
    }
}
