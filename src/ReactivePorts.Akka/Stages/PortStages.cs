using Akka.Streams;
using Akka.Streams.Stage;
using ReactivePorts.Framing;

namespace ReactivePorts.Akka;

/// <summary>The attributes every port stage starts with.</summary>
internal static class PortStageAttributes
{
    /// <summary>
    /// An input buffer of one element: by default an asynchronous boundary in front of a stage asks
    /// upstream for 16 elements ahead, which would hold elements that a busy port has not accepted.
    /// </summary>
    public static Attributes For(string name, bool hasInput) =>
        hasInput ? Attributes.CreateName(name).And(Attributes.CreateInputBuffer(1, 1)) : Attributes.CreateName(name);
}

/// <summary>A port as a source of packets (see <see cref="PortStreams.Source(Func{Port})"/>).</summary>
internal sealed class PortSourceStage(Func<Port> open) : GraphStageWithMaterializedValue<SourceShape<Packet>, Task<ExitStatus?>>
{
    public override SourceShape<Packet> Shape { get; } = new(new Outlet<Packet>("PortSource.out"));

    protected override Attributes InitialAttributes => PortStageAttributes.For("portSource", hasInput: false);

    public override ILogicAndMaterializedValue<Task<ExitStatus?>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new PortStageLogic(Shape, open, null, Shape.Outlet, closesOnInputEnd: false);
        return new LogicAndMaterializedValue<Task<ExitStatus?>>(logic, logic.Outcome);
    }
}

/// <summary>A port as a sink of payloads (see <see cref="PortStreams.Sink(Func{Port})"/>).</summary>
internal sealed class PortSinkStage(Func<Port> open) : GraphStageWithMaterializedValue<SinkShape<ReadOnlyMemory<byte>>, Task<ExitStatus?>>
{
    public override SinkShape<ReadOnlyMemory<byte>> Shape { get; } = new(new Inlet<ReadOnlyMemory<byte>>("PortSink.in"));

    protected override Attributes InitialAttributes => PortStageAttributes.For("portSink", hasInput: true);

    public override ILogicAndMaterializedValue<Task<ExitStatus?>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new PortStageLogic(Shape, open, Shape.Inlet, null, closesOnInputEnd: true);
        return new LogicAndMaterializedValue<Task<ExitStatus?>>(logic, logic.Outcome);
    }
}

/// <summary>A port as a flow, payloads in and packets out (see <see cref="PortStreams.Flow(Func{Port})"/>).</summary>
internal sealed class PortFlowStage(Func<Port> open) : GraphStageWithMaterializedValue<FlowShape<ReadOnlyMemory<byte>, Packet>, Task<ExitStatus?>>
{
    public override FlowShape<ReadOnlyMemory<byte>, Packet> Shape { get; } =
        new(new Inlet<ReadOnlyMemory<byte>>("PortFlow.in"), new Outlet<Packet>("PortFlow.out"));

    protected override Attributes InitialAttributes => PortStageAttributes.For("portFlow", hasInput: true);

    public override ILogicAndMaterializedValue<Task<ExitStatus?>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new PortStageLogic(Shape, open, Shape.Inlet, Shape.Outlet, closesOnInputEnd: false);
        return new LogicAndMaterializedValue<Task<ExitStatus?>>(logic, logic.Outcome);
    }
}
