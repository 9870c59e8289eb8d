using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using static ReactivePorts.Akka.Tests.PortStreamKit;

namespace ReactivePorts.Akka.Tests;

/// <summary>A port behind stream refs: two actor systems talking over Akka.Remote on the loopback interface.</summary>
public sealed class RemotePortStreamsTests : IAsyncLifetime
{
    private static readonly Config RemoteConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        }
        """).WithFallback(ActorMaterializer.DefaultConfig());

    private ActorSystem _host = null!;
    private ActorSystem _client = null!;

    public Task InitializeAsync()
    {
        _host = ActorSystem.Create("host", RemoteConfig);
        _client = ActorSystem.Create("client", RemoteConfig);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_client.Terminate(), _host.Terminate());
    }

    [Fact(Timeout = 40000)]
    public async Task AClientOnAnotherSystem_WritesThroughASinkRef_AndReadsThroughASourceRef_EveryPacketInOrder()
    {
        var hostMaterializer = _host.Materializer();
        _host.ActorOf(Props.Create(() => new PortHost(hostMaterializer)), "ports");
        var hostAddress = ((ExtendedActorSystem)_host).Provider.DefaultAddress;
        Assert.NotEqual(0, hostAddress.Port); // a free port was bound, over TCP on the loopback

        var ports = await _client.ActorSelection(new RootActorPath(hostAddress) / "user" / "ports").ResolveOne(PortStreamKit.Timeout);
        var sinkRef = await ports.Ask<ISinkRef<byte[]>>("open", PortStreamKit.Timeout);
        var sourceRef = await ports.Ask<ISourceRef<byte[]>>("source", PortStreamKit.Timeout);

        var clientMaterializer = _client.Materializer();
        var payloads = Enumerable.Range(0, 2000).Select(i => Payload(i, 1 + i * 13 % 5000)).ToArray();
        var received = sourceRef.Source.RunWith(Sink.Seq<byte[]>(), clientMaterializer);
        Source.From(payloads).RunWith(sinkRef.Sink, clientMaterializer);

        var packets = await received.WaitAsync(PortStreamKit.Timeout);
        Assert.Equal(payloads.Length, packets.Count);
        for (int i = 0; i < payloads.Length; i++) Assert.Equal(payloads[i], packets[i]);
    }

    /// <summary>Runs a cat port on the host system and offers its input and output as stream refs.</summary>
    private sealed class PortHost : ReceiveActor
    {
        private ISourceRef<byte[]>? _source;

        public PortHost(IMaterializer materializer)
        {
            ReceiveAsync<string>(m => m == "open", async _ =>
            {
                var sender = Sender;
                // Elements cross the wire as byte[] (Akka's built-in serializer); the port frames them.
                var (sink, source) = StreamRefs.SinkRef<byte[]>()
                    .Select(bytes => (ReadOnlyMemory<byte>)bytes)
                    .Via(PortStreams.Flow(Cat4()))
                    .Select(packet => packet.Payload.ToArray())
                    .ToMaterialized(StreamRefs.SourceRef<byte[]>(), Keep.Both)
                    .Run(materializer);
                _source = await source;
                sender.Tell(await sink);
            });
            Receive<string>(m => m == "source", _ => Sender.Tell(_source));
        }
    }
}
