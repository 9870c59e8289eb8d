using ReactivePorts;
using ReactivePorts.Polling;
using Supervision;

// A child that fails twice and then succeeds (it counts its tries in a file), supervised with
// real processes on the default loop: backoff 100 ms, then 200 ms.
string counter = Path.Combine(Path.GetTempPath(), $"supervisor-sample-{Environment.ProcessId}");
var flaky = Sh($"n=$(cat {counter} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {counter}; echo try $n; [ $n -ge 3 ] && exit 0; exit 1");
var policy = new RestartPolicy(MaxAttempts: 5, InitialBackoff: TimeSpan.FromMilliseconds(100), MaxBackoff: TimeSpan.FromSeconds(2));
await Run("a child that succeeds on its third try", flaky, policy);
File.Delete(counter);

// A child that always crashes (killed by SIGKILL): the supervisor gives up after three tries.
await Run("a child that always crashes", Sh("echo crashing; kill -9 $$"), policy with { MaxAttempts = 3 });

// Port.Spawn runs "exec <command>"; a script of several commands gets a shell of its own.
static SpawnSpec Sh(string script) => Port.SpawnExecutable("/bin/sh").WithArguments("-c", script);

static async Task Run(string title, SpawnSpec child, RestartPolicy policy)
{
    Console.WriteLine($"== {title}");
    using var supervisor = new ChildSupervisor(child, PollScheduler.Default, policy);
    var started = DateTime.UtcNow;
    supervisor.Events.Subscribe(e => Console.WriteLine($"  {(DateTime.UtcNow - started).TotalMilliseconds,6:0} ms  {e}"));
    supervisor.Start();
    Console.WriteLine($"  outcome: {await supervisor.Outcome.WaitAsync(TimeSpan.FromSeconds(30))}");
}
