#nullable enable
namespace ReactivePorts.Interop;

/// <summary>libc, the one native library ReactivePorts calls. Nothing outside <c>Interop/</c> P/Invokes.</summary>
internal static partial class Libc
{
    internal const string Name = "libc";
}
