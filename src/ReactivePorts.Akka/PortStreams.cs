using Akka.Streams.Dsl;
using ReactivePorts.Framing;

namespace ReactivePorts.Akka;

/// <summary>
/// Ports as Akka.NET Streams stages. Each materialization opens its own port (a blueprint runs as
/// many times as it is materialized, like <c>FileIO</c>), and Reactive Streams demand is mapped onto
/// the port exactly, with the port's own backpressure and no unbounded buffer:
/// <list type="bullet">
/// <item>Output: the port reads only while downstream has pulled (one packet per pull). Without
/// demand it stops reading and the child blocks on its full pipe. A read under way when demand
/// runs out is kept (at most one read's packets) and served to the next pulls.</item>
/// <item>Input: the next element is pulled only once the port has accepted the previous one, so a
/// busy port backpressures upstream. The stage's input buffer is one element.</item>
/// <item>Framing is the port's: input elements are whole payloads (framed by the port), output
/// elements whole <see cref="Packet"/>s, their payloads yours to keep.</item>
/// </list>
/// </summary>
/// <remarks>
/// <para>Input elements are <see cref="ReadOnlyMemory{T}"/>: an array, a slice or a pooled buffer
/// goes in without a copy, and the port copies it when it accepts it, so the buffer may be reused as
/// soon as the next element is pulled. From Akka's <c>ByteString</c>, <c>Select(b =&gt; (ReadOnlyMemory&lt;byte&gt;)b.ToArray())</c>.</para>
/// <para>Ending: upstream completion closes the port's input (a flow half-closes, so the child's
/// remaining output still flows; a sink closes the port, flushing what is queued); upstream failure
/// aborts the port (<see cref="Port.AbortAsync"/>, queue dropped) and fails the stage with that
/// error; downstream cancellation closes the port (<see cref="Port.CloseAsync"/>); the port's own end
/// (its child exited, or it failed) completes or fails the stage.</para>
/// <para>The materialized value completes when the port has ended: with the child's exit status
/// for a port that runs a process (once it has been reaped: closing does not kill, so a child that
/// ignores the end of its input keeps it pending unless the port kills on close), null for a port
/// without one; faulted with the port's error (an abort, a failure, an open error).</para>
/// </remarks>
public static class PortStreams
{
    /// <summary>A source of the packets of a port opened by <paramref name="open"/> at each materialization.</summary>
    /// <param name="open">Opens the port (a spec's <c>Open</c>, or your own code); called once per materialization, on the stream's thread.</param>
    /// <exception cref="ArgumentNullException"><paramref name="open"/> is null.</exception>
    public static Source<Packet, Task<ExitStatus?>> Source(Func<Port> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return global::Akka.Streams.Dsl.Source.FromGraph(new PortSourceStage(open));
    }

    /// <summary>A source of the packets of a port opened from <paramref name="spec"/> at each materialization.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public static Source<Packet, Task<ExitStatus?>> Source<TSpec>(PortSpec<TSpec> spec) where TSpec : PortSpec<TSpec>
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Source(spec.Open);
    }

    /// <summary>A sink writing each payload into a port opened by <paramref name="open"/> at each materialization. The port's output is not read: open a port whose child does not write, or one without output.</summary>
    /// <param name="open">Opens the port; called once per materialization.</param>
    /// <exception cref="ArgumentNullException"><paramref name="open"/> is null.</exception>
    public static Sink<ReadOnlyMemory<byte>, Task<ExitStatus?>> Sink(Func<Port> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return global::Akka.Streams.Dsl.Sink.FromGraph(new PortSinkStage(open));
    }

    /// <summary>A sink writing each payload into a port opened from <paramref name="spec"/> at each materialization.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public static Sink<ReadOnlyMemory<byte>, Task<ExitStatus?>> Sink<TSpec>(PortSpec<TSpec> spec) where TSpec : PortSpec<TSpec>
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Sink(spec.Open);
    }

    /// <summary>A flow through a port opened by <paramref name="open"/> at each materialization: payloads in, packets out.</summary>
    /// <param name="open">Opens the port; called once per materialization.</param>
    /// <exception cref="ArgumentNullException"><paramref name="open"/> is null.</exception>
    public static Flow<ReadOnlyMemory<byte>, Packet, Task<ExitStatus?>> Flow(Func<Port> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        return global::Akka.Streams.Dsl.Flow.FromGraph(new PortFlowStage(open));
    }

    /// <summary>A flow through a port opened from <paramref name="spec"/> at each materialization.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public static Flow<ReadOnlyMemory<byte>, Packet, Task<ExitStatus?>> Flow<TSpec>(PortSpec<TSpec> spec) where TSpec : PortSpec<TSpec>
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Flow(spec.Open);
    }
}
