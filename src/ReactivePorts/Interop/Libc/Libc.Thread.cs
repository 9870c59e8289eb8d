#nullable enable
using System.Runtime.InteropServices;

namespace ReactivePorts.Interop;

internal static partial class Libc
{
    /// <summary>The kernel's id of the calling thread (for /proc/self/task/TID accounting).</summary>
    [LibraryImport(Name, EntryPoint = "gettid")]
    internal static partial int GetTid();
}
