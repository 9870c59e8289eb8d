using System.Runtime.InteropServices;

namespace ReactivePorts.Tests.Interop;

/// <summary>
/// libc calls only the tests need, to create the conditions the library must withstand (a descriptor
/// opened without close-on-exec, a blocked signal). The library itself never makes these calls.
/// </summary>
internal static unsafe partial class TestNative
{
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    internal static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(byte* set);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int SigAddSet(byte* set, int signal);

    [LibraryImport("libc", EntryPoint = "pthread_sigmask")]
    private static partial int PthreadSigMask(int how, byte* set, byte* old);

    /// <summary>open(2) WITHOUT O_CLOEXEC: the kind of descriptor a careless library might leave around.</summary>
    internal static int OpenInheritable(string path, int flags)
    {
        int fd = OpenRaw(path, flags, 0);
        return fd >= 0 ? fd : throw new IOException($"open {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    private const int SIG_BLOCK = 0, SIG_SETMASK = 2;

    /// <summary>Blocks <paramref name="signal"/> on the calling thread until the returned scope is disposed.</summary>
    internal static IDisposable BlockOnThisThread(int signal)
    {
        byte* set = stackalloc byte[128];
        byte[] old = new byte[128];
        SigEmptySet(set);
        SigAddSet(set, signal);
        fixed (byte* o = old)
        {
            if (PthreadSigMask(SIG_BLOCK, set, o) != 0) throw new IOException("pthread_sigmask failed");
        }
        return new Restore(old);
    }

    private sealed class Restore(byte[] old) : IDisposable
    {
        public void Dispose()
        {
            fixed (byte* o = old) PthreadSigMask(SIG_SETMASK, o, null);
        }
    }

    /// <summary>A hexadecimal signal-set line of /proc/&lt;self|thread&gt;/status, e.g. "SigIgn".</summary>
    internal static ulong StatusMask(string statusText, string field)
    {
        string line = statusText.Split('\n').First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return Convert.ToUInt64(line[(field.Length + 1)..].Trim(), 16);
    }

    /// <summary>The bit of <paramref name="signal"/> in a /proc status mask.</summary>
    internal static ulong Bit(int signal) => 1UL << (signal - 1);
}

internal static partial class TestNative
{
    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    internal static partial int Dup2(int fd, int newFd);
}
