// Two actor systems in two processes on one host, over Akka.Remote on the loopback interface: the
// host runs a port (cat with {packet,4}) and offers it as stream refs; the consumer sends work in
// through a SinkRef and reads the answers through a SourceRef. See README.md.
//
//   dotnet run --project samples/AkkaRemotePorts            the demonstration (starts the consumer itself)
//   dotnet run --project samples/AkkaRemotePorts -c Release -- bench    packets/s: flow vs plain port

return args switch
{
    ["consumer", var hostAddress] => await Consumer.RunAsync(hostAddress),
    ["bench", ..] => await Benchmark.RunAsync(),
    [] => await Host.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: AkkaRemotePorts [bench | consumer <host address>]");
    return 2;
}
