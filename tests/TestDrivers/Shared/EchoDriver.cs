using System.IO.Pipes;
using System.Runtime.InteropServices;
using System.Text;
using ReactivePorts.Drivers;
using ReactivePorts.Framing;
using ReactivePorts.Polling;

namespace TestDrivers;

/// <summary>
/// An echo over a real pipe, on the public driver API only: what the user writes goes into the
/// pipe (written now or queued), and what comes out of the pipe is delivered. Version 1 echoes the
/// bytes as they are; version 2 upper-cases them. Control operation 1 answers the version ("1"/"2").
/// </summary>
public abstract class EchoDriverBase : PortDriver
{
#if ECHO_V2
    public const string Version = "2";
#else
    public const string Version = "1";
#endif

    private SafeHandle? _read;
    private SafeHandle? _write;
    private readonly byte[] _buffer = new byte[16 * 1024];

    protected override void OnStart()
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.Out, HandleInheritability.None);
        _write = pipe.SafePipeHandle;
        _read = pipe.ClientSafePipeHandle;
        Check(Context.IO.SetNonBlocking(_read));
        Check(Context.IO.SetNonBlocking(_write));
        Context.Select(_read, PollEvents.Readable);
        Context.Select(_write, PollEvents.None); // registered, so the port deselects and closes it at the end
    }

    protected override void OnInput(ReadOnlyMemory<byte> data) => Check(Context.IO.WriteOrQueue(_write!, data));

    protected override void OnWritable(SafeHandle handle) => Check(Context.IO.WriteQueue(handle));

    protected override void OnReadable(SafeHandle handle)
    {
        var result = Context.IO.Read(handle, _buffer);
        switch (result.Status)
        {
            case IOStatus.Done:
                var chunk = _buffer.AsSpan(0, (int)result.Bytes);
#if ECHO_V2
                for (int i = 0; i < chunk.Length; i++) chunk[i] = (byte)char.ToUpperInvariant((char)chunk[i]);
#endif
                Context.DeliverData(chunk.ToArray(), ChunkOwnership.Donated);
                break;
            case IOStatus.EndOfStream:
                Context.Deselect(handle);
                Context.DeliverEof();
                break;
            case IOStatus.Failed:
                Context.FailErrno(result.Errno);
                break;
        }
    }

    protected override byte[] OnControl(int operation, ReadOnlySpan<byte> data) =>
        operation == 1 ? Encoding.ASCII.GetBytes(Version) : base.OnControl(operation, data);

    private void Check(IOResult result)
    {
        if (result.Status == IOStatus.Failed) Context.FailErrno(result.Errno);
    }
}

/// <summary>The echo driver, loaded as "echo".</summary>
[LoadableDriver("echo")]
public sealed class EchoDriver : EchoDriverBase
{
    public override string Name => "echo";
}

/// <summary>An echo that can never be unloaded.</summary>
[LoadableDriver("keeper", Permanent = true)]
public sealed class KeeperDriver : EchoDriverBase
{
    public override string Name => "keeper";
}
