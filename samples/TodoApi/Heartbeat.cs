namespace TodoApi;

/// <summary>A background timer: counts beats and logs one now and then.</summary>
public sealed class Heartbeat(ILogger<Heartbeat> logger, IConfiguration configuration) : BackgroundService
{
    private long _beats;

    public long Beats => Interlocked.Read(ref _beats);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromMilliseconds(configuration.GetValue("Heartbeat:PeriodMs", 200));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (Interlocked.Increment(ref _beats) % 25 == 0)
                Log.Beat(logger, Beats);
        }
    }
}
