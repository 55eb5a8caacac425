using Portcullis.Profiles.Seccomp;

namespace Portcullis.Profiles.Recordings;

/// <summary>
/// What one or more recorded runs did in the kernel: syscalls per ABI with counts, files, executed programs,
/// sockets and bound ports, capabilities. Every item says which backend saw it. Recordings merge by union
/// (counts add up), so runs of several test projects become one recording.
/// </summary>
public sealed record Recording
{
    public IReadOnlyList<string> Command { get; init; } = [];
    public int? ExitCode { get; init; }
    public IReadOnlyList<SyscallObservation> Syscalls { get; init; } = [];
    public IReadOnlyList<FileObservation> Files { get; init; } = [];
    public IReadOnlyList<string> Executables { get; init; } = [];
    public IReadOnlyList<SocketObservation> Sockets { get; init; } = [];
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    public IEnumerable<SeccompArch> Architectures => Syscalls.Select(s => s.Architecture).Distinct();

    public static Recording Merge(IEnumerable<Recording> recordings)
    {
        var all = recordings.ToList();
        return new Recording
        {
            Command = all.Count == 1 ? all[0].Command : [],
            ExitCode = all.Count == 1 ? all[0].ExitCode : null,
            Syscalls = all.SelectMany(r => r.Syscalls)
                .GroupBy(s => (s.Architecture, s.Number))
                .Select(g => new SyscallObservation(g.Key.Architecture, g.Key.Number, g.First().Name, g.Sum(s => s.Count), Union(g.Select(s => s.SeenBy))))
                .OrderBy(s => s.Architecture).ThenBy(s => s.Number).ToList(),
            Files = all.SelectMany(r => r.Files)
                .GroupBy(f => f.Path, StringComparer.Ordinal)
                .Select(g => new FileObservation(g.Key, g.Aggregate(FileAccessKind.None, (a, f) => a | f.Access), Union(g.Select(f => f.SeenBy))))
                .OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
            Executables = all.SelectMany(r => r.Executables).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Sockets = all.SelectMany(r => r.Sockets)
                .GroupBy(s => (s.Family, s.Type & 0xf, s.Protocol, s.BoundPort, s.UnixPath))
                .Select(g => g.First() with { SeenBy = Union(g.Select(s => s.SeenBy)) })
                .OrderBy(s => s.Family).ThenBy(s => s.Type).ThenBy(s => s.BoundPort).ToList(),
            Capabilities = all.SelectMany(r => r.Capabilities).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        };
    }

    private static HashSet<Backend> Union(IEnumerable<IReadOnlySet<Backend>> sets) => sets.SelectMany(s => s).ToHashSet();
}
