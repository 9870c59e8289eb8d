using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactivePorts;
using ReactivePorts.Akka;
using ReactivePorts.Framing;

/// <summary>
/// Runs the worker port on the host and offers it to other actor systems as two stream refs: a
/// <c>SinkRef</c> for work going in, a <c>SourceRef</c> for packets coming out. One worker per
/// "open" message.
/// </summary>
internal sealed class PortsActor : ReceiveActor
{
    /// <summary>Asks for a new worker; the answer is its <c>ISinkRef&lt;byte[]&gt;</c>.</summary>
    public const string Open = "open";

    /// <summary>Asks for the last worker's output; the answer is its <c>ISourceRef&lt;byte[]&gt;</c>.</summary>
    public const string Output = "output";

    private ISourceRef<byte[]>? _output;

    public PortsActor(IMaterializer materializer, Action<Port> opened)
    {
        ReceiveAsync<string>(m => m == Open, async _ =>
        {
            var sender = Sender;
            // The worker: cat with {packet,4} framing (every payload comes back as one packet). Stream refs
            // carry byte[] (Akka's built-in serializer); the port frames them on the way in and out.
            var worker = Port.SpawnExecutable("/bin/cat").WithFraming(FrameFormat.LengthPrefixed(4));
            var (input, output) = StreamRefs.SinkRef<byte[]>()
                .Select(bytes => (ReadOnlyMemory<byte>)bytes)
                .Via(PortStreams.Flow(() =>
                {
                    var port = worker.Open();
                    opened(port);
                    return port;
                }))
                .Select(packet => packet.Payload.ToArray())
                .ToMaterialized(StreamRefs.SourceRef<byte[]>(), Keep.Both)
                .Run(materializer);
            _output = await output;
            sender.Tell(await input);
        });
        Receive<string>(m => m == Output, _ => Sender.Tell(_output));
    }
}
