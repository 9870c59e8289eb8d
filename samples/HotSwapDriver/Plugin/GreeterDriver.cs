using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace Greeter;

/// <summary>
/// A driver in a plugin assembly: each line written to the port goes through a pipe and comes back
/// as a greeting — "hello, NAME (v1)" in release 1, "HELLO, NAME! (v2)" in release 2.
/// </summary>
[LoadableDriver("greeter")]
public sealed class GreeterDriver : PortDriver
{
#if GREETER_V2
    private static string Greet(string name) => $"HELLO, {name.ToUpperInvariant()}! (v2)";
#else
    private static string Greet(string name) => $"hello, {name} (v1)";
#endif

    private SafeHandle? _read;
    private SafeHandle? _write;
    private readonly byte[] _buffer = new byte[4096];

    public override string Name => "greeter";

    protected override void OnStart()
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        (_write, _read) = (pipe.SafePipeHandle, pipe.ClientSafePipeHandle);
        Context.IO.SetNonBlocking(_read);
        Context.IO.SetNonBlocking(_write);
        Context.Select(_read, PollEvents.Readable);
        Context.Select(_write, PollEvents.None); // so the port closes it when it ends
    }

    // The port frames input with {line}: the data arrives with its newline.
    protected override void OnInput(ReadOnlyMemory<byte> data)
    {
        string name = Encoding.UTF8.GetString(data.Span).TrimEnd('\n');
        Check(Context.IO.WriteOrQueue(_write!, Encoding.UTF8.GetBytes(Greet(name) + "\n")));
    }

    protected override void OnWritable(SafeHandle handle) => Check(Context.IO.WriteQueue(handle));

    protected override void OnReadable(SafeHandle handle)
    {
        var result = Context.IO.Read(handle, _buffer);
        if (result.Status == IOStatus.Done) Context.DeliverData(_buffer.AsMemory(0, (int)result.Bytes), ChunkOwnership.Borrowed);
        else if (result.Status == IOStatus.Failed) Context.FailErrno(result.Errno);
    }

    private void Check(IOResult result)
    {
        if (result.Status == IOStatus.Failed) Context.FailErrno(result.Errno);
    }
}
