using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Recorder;

/// <summary>Collects observations during one recording (single-threaded: the tracer thread) and builds the <see cref="Recording"/>.</summary>
internal sealed class ObservationSink(Backend backend)
{
    private readonly Dictionary<(SeccompArch, int), long> _syscalls = [];
    private readonly Dictionary<string, FileAccessKind> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _executables = new(StringComparer.Ordinal);
    private readonly HashSet<(int, int, int, int?, string?)> _sockets = [];
    private readonly SortedSet<string> _capabilities = new(StringComparer.Ordinal);

    public long TotalSyscalls { get; private set; }

    public void Syscall(SeccompArch arch, int nr, long count = 1)
    {
        _syscalls[(arch, nr)] = _syscalls.GetValueOrDefault((arch, nr)) + count;
        TotalSyscalls += count;
    }

    public void File(string path, FileAccessKind kind) => _files[path] = _files.GetValueOrDefault(path) | kind;

    public void Executable(string path) => _executables.Add(path);

    public void Socket(int family, int type, int protocol, int? port, string? unixPath) =>
        _sockets.Add((family, type & 0xf, protocol, port, unixPath));

    public void Capability(string name) => _capabilities.Add(name);

    public int DistinctSyscalls => _syscalls.Count;

    public Recording Build(IReadOnlyList<string> command, int? exitCode)
    {
        var seen = new HashSet<Backend> { backend };
        return Recording.Merge([new Recording
        {
            Command = command,
            ExitCode = exitCode,
            Syscalls = _syscalls.Select(s => new SyscallObservation(s.Key.Item1, s.Key.Item2, SyscallTable.Name(s.Key.Item2, s.Key.Item1), s.Value, seen)).ToList(),
            Files = _files.Select(f => new FileObservation(f.Key, f.Value, seen)).ToList(),
            Executables = [.. _executables],
            Sockets = _sockets.Select(s => new SocketObservation(s.Item1, s.Item2, s.Item3, s.Item4, s.Item5, seen)).ToList(),
            Capabilities = [.. _capabilities],
        }]);
    }
}
