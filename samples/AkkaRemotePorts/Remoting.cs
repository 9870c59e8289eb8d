using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;

/// <summary>What both processes share: the remoting configuration and the host's actor name.</summary>
internal static class Remoting
{
    /// <summary>The actor on the host that hands out the worker port's stream refs.</summary>
    public const string PortsActor = "ports";

    /// <summary>An actor system reachable over TCP on the loopback only, on a port the kernel picks (0).</summary>
    public static ActorSystem Start(string name) => ActorSystem.Create(name, ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        }
        """).WithFallback(ActorMaterializer.DefaultConfig()));

    /// <summary>The address the system listens on, with the port it was given.</summary>
    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;
}
