using System.Diagnostics;

namespace Portcullis.Cli.Output;

/// <summary>On a terminal, one status line on stderr (elapsed time, syscalls so far) redrawn in place; nothing when stderr is redirected.</summary>
internal sealed class LiveLine : IDisposable
{
    private readonly CliIo? _io;
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Timer? _timer;
    private long _calls;
    private int _distinct;
    private bool _disposed;

    private LiveLine(CliIo? io)
    {
        _io = io;
        if (io is not null)
            _timer = new Timer(_ => Draw(), null, 250, 250);
    }

    public static LiveLine Start(CliIo io) =>
        new(Console.IsErrorRedirected || ReferenceEquals(io.Err, Console.Error) is false ? null : io);

    /// <summary>The progress callback to give the recorder: null when nothing is drawn, so it does not poll.</summary>
    public Action<long, int>? Callback => _io is null ? null : Update;

    public void Update(long calls, int distinct)
    {
        Interlocked.Exchange(ref _calls, calls);
        Interlocked.Exchange(ref _distinct, distinct);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _timer?.Dispose();
        if (_io is not null)
            _io.Err.Write("\r\u001b[K");
    }

    private void Draw()
    {
        if (!_disposed)
            _io!.Err.Write($"\r\u001b[K  recording {_watch.Elapsed.TotalSeconds:0.0}s  {Interlocked.Read(ref _calls)} syscalls ({Volatile.Read(ref _distinct)} distinct)");
    }
}
