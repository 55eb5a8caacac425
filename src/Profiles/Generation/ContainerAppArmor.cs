using Portcullis.Profiles.AppArmor;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Recordings;

namespace Portcullis.Profiles.Generation;

/// <summary>
/// An AppArmor profile for the app's container, from its recordings and the layout of .NET images. Paths a
/// test run touches on the build host are not the container's paths (the app runs from /app there, not from
/// bin/), so file rules come from the image layout: read and map the app, the runtime and the libraries,
/// read configuration and procfs, write only temporary and home directories. Network families and
/// capabilities come from the recordings. Coarser than a profile recorded in the container itself.
/// </summary>
public static class ContainerAppArmor
{
    private static readonly (string Path, string Permissions)[] Files =
    [
        ("/", "r"), ("/**/", "r"),
        ("{APP}/**", "mr"), ("/usr/share/dotnet/**", "mr"), ("/usr/lib/**", "mr"), ("/lib/**", "mr"), ("/lib64/**", "mr"), ("/usr/lib64/**", "mr"),
        ("/usr/bin/*", "mrix"), ("/bin/*", "mrix"), ("{APP}/*", "mrix"),
        ("/etc/**", "r"), ("/usr/share/**", "r"),
        ("/proc/@{pid}/**", "r"), ("/proc/sys/**", "r"), ("/proc/meminfo", "r"), ("/proc/cpuinfo", "r"), ("/proc/stat", "r"), ("/proc/loadavg", "r"),
        ("/sys/fs/cgroup/**", "r"), ("/sys/devices/system/cpu/**", "r"), ("/sys/devices/system/node/**", "r"),
        ("/dev/null", "rw"), ("/dev/zero", "rw"), ("/dev/urandom", "r"), ("/dev/random", "r"), ("/dev/pts/*", "rw"), ("/dev/tty", "rw"),
        ("/tmp/**", "rwlk"), ("/var/tmp/**", "rwlk"), ("/dev/shm/**", "rwlk"), ("/home/**", "rwlk"), ("/root/**", "rwlk"),
        // .NET names its threads by writing /proc/self/task/<tid>/comm.
        ("/proc/@{pid}/task/@{tid}/comm", "rw"),
    ];

    /// <param name="families">More network families the app needs (from analysis: inet and inet6 for an app that listens or connects).</param>
    /// <param name="writable">Directories the app writes below besides the temporary ones (its volumes: /data), from the user.</param>
    public static AppArmorProfile Generate(IEnumerable<Recording> recordings, string name, string appDir, IEnumerable<string>? families = null, IEnumerable<string>? writable = null)
    {
        var all = Recording.Merge(recordings);
        var rules = new List<AppArmorRule>();
        foreach (var (path, perms) in Files)
            rules.Add(new FileRule(path.Replace("{APP}", appDir.TrimEnd('/'), StringComparison.Ordinal), FilePermissions.Parse(perms)));
        foreach (var dir in (writable ?? []).Select(d => d.TrimEnd('/')).Where(d => d.StartsWith('/')).Distinct(StringComparer.Ordinal))
        {
            rules.Add(new FileRule(dir + "/", FilePermissions.Parse("r")));
            rules.Add(new FileRule(dir + "/**", FilePermissions.Parse("rwlk")));
        }
        // unix: the runtime's diagnostics socket; inet/inet6: whatever the tests opened, plus stream for any server.
        var network = all.Sockets.Select(s => s.FamilyName).Where(f => !f.StartsWith("family", StringComparison.Ordinal)).Append("unix").Concat(families ?? []).Distinct().Order(StringComparer.Ordinal);
        rules.AddRange(network.Select(f => new NetworkRule(f, null)));
        if (all.Capabilities.Count > 0)
            rules.Add(new CapabilityRule(all.Capabilities.Select(c => c.ToLowerInvariant().Replace("cap_", "", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToValueList()));
        rules.Add(new RawRule("signal (send, receive) peer=@{profile_name}"));
        // The runtime (runc kill, the kubelet) is unconfined and must be able to stop the container.
        rules.Add(new RawRule("signal (receive) peer=unconfined"));
        return new AppArmorProfile
        {
            Name = name,
            Flags = ["attach_disconnected", "mediate_deleted"],
            Rules = rules.ToValueList(),
        };
    }
}
