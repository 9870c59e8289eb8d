using ReactivePorts;
using ReactivePorts.Framing;

namespace MonitorWeb;

/// <summary>
/// Something to watch: an echo port fed a line every 100 ms, a ticker that prints for three
/// seconds and exits with status 3 (started again two seconds later), and a port whose child
/// never reads, so it stays busy. Every child is killed when the app stops.
/// </summary>
internal sealed class DemoPorts : BackgroundService
{
    private const string Ticker = "i=0; while [ $i -lt 15 ]; do echo tick $i; i=$((i+1)); sleep 0.2; done; exit 3";

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        await Task.WhenAll(EchoAsync(stopping), TickerAsync(stopping), StuckAsync(stopping));
    }

    private static async Task EchoAsync(CancellationToken stopping)
    {
        await using var echo = Port.Spawn("cat").WithFraming(FrameFormat.Line()).WithKillOnClose().Open();
        using var _ = echo.Output.Subscribe(_ => { });
        var line = "the quick brown fox jumps over the lazy dog\n"u8.ToArray();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await Tick(timer, stopping)) await echo.WriteAsync(line, stopping);
    }

    private static async Task TickerAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await using (var ticker = Port.Spawn($"sh -c '{Ticker}'").WithFraming(FrameFormat.Line()).WithKillOnClose().Open())
            {
                using var _ = ticker.Output.Subscribe(_ => { });
                try
                {
                    await ticker.Completion.WaitAsync(stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task StuckAsync(CancellationToken stopping)
    {
        await using var stuck = Port.Spawn("sleep 3600").WithKillOnClose().Open();
        var chunk = new byte[16 * 1024];
        // The pipe fills, then the port's queue passes its high mark: busy until the app stops.
        for (int i = 0; i < 8; i++) stuck.WriteForced(chunk);
        try
        {
            await Task.Delay(Timeout.Infinite, stopping);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the child is killed on close.
        }
    }

    private static async ValueTask<bool> Tick(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
