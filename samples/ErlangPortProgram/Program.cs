using ReactivePorts;
using ReactivePorts.Framing;

// An Erlang port program in C#: Erlang runs it with
//   open_port({spawn_executable, Dotnet}, [{args, [Dll]}, {packet, 4}, binary, exit_status])
// and every {packet,4} frame it sends on our stdin is answered with the same bytes reversed on our
// stdout. When Erlang closes the port our stdin ends: the replies still queued are written, and
// the program exits with status 0.
//
// OpenStandardStreams opens fds 0 and 1 as a port (without owning them) and moves Console.Out to
// standard error: a stray Console.WriteLine on fd 1 would land between two frames and Erlang would
// read it as a length. Eof mode keeps the port writable after end of input, so the close can flush.
await using var port = Port.OpenStandardStreams().WithFraming(FrameFormat.LengthPrefixed(4)).WithEofMode().Open();

var endOfInput = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var events = port.Events.Subscribe(e =>
{
    if (e is PortEof) endOfInput.TrySetResult();
});
port.Output.Subscribe(
    packet =>
    {
        // On the port's loop: never block here. WriteForced queues the reply whatever the busy state.
        var reply = packet.Payload.ToArray();
        Array.Reverse(reply);
        port.WriteForced(reply);
    },
    error => endOfInput.TrySetException(error));

Console.WriteLine("ErlangPortProgram: ready (this line goes to standard error)");
await endOfInput.Task;
await port.CloseAsync(TimeSpan.FromSeconds(30)); // writes what is still queued, then lets go of fds 0 and 1
return 0;
