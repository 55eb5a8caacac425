namespace Portcullis.KnowledgeProbe;

/// <summary>The probes by group name: the knowledge base's groups, which the analyzer's tests cross-check against.</summary>
internal static class ProbeIndex
{
    public static IReadOnlyDictionary<string, Func<ProbeContext, Task>> All { get; } = new Dictionary<string, Func<ProbeContext, Task>>(StringComparer.Ordinal)
    {
        ["empty"] = _ => Task.CompletedTask,
        ["files"] = Probes.Files,
        ["file-watcher"] = Probes.FileWatcher,
        ["tcp-client"] = Probes.TcpClientProbe,
        ["http-client"] = Probes.HttpClientProbe,
        ["tcp-server"] = Probes.TcpServer,
        ["udp"] = Probes.Udp,
        ["unix-socket"] = Probes.UnixSocket,
        ["dns"] = Probes.DnsProbe,
        ["process"] = Probes.ProcessProbe,
        ["threads"] = Probes.Threads,
        ["timers"] = Probes.Timers,
        ["console"] = Probes.ConsoleProbe,
        ["environment"] = Probes.EnvironmentProbe,
        ["signals"] = Probes.Signals,
        ["compression"] = Probes.Compression,
        ["crypto"] = Probes.Crypto,
        ["memory-mapped-files"] = Probes.MemoryMapped,
        ["pipes"] = Probes.Pipes,
        ["sqlite"] = Probes.Sqlite,
        ["kestrel"] = Probes.Kestrel,
    };
}
