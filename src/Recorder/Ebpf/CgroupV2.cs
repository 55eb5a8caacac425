using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Ebpf;

/// <summary>
/// A transient cgroup v2 for one recording. The cgroup2 mount is found in /proc/self/mountinfo (it may be
/// /sys/fs/cgroup or, on a hybrid layout, /sys/fs/cgroup/unified). The BPF programs match it and its
/// descendants through a cgroup array holding its directory's descriptor. Disposing kills everything in it
/// and below it (cgroup.kill, or each process where the kernel has no cgroup.kill) and removes it, children first.
/// </summary>
internal sealed class CgroupV2 : IDisposable
{
    private CgroupV2(string path, int fd)
    {
        Path = path;
        Descriptor = fd;
    }

    public string Path { get; }

    /// <summary>The cgroup's directory, open (for BPF_MAP_TYPE_CGROUP_ARRAY).</summary>
    public int Descriptor { get; private set; }

    public string Procs => System.IO.Path.Combine(Path, "cgroup.procs");

    public static string? FindMount()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "36 25 0:30 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw"
            var dash = line.IndexOf(" - ", StringComparison.Ordinal);
            if (dash < 0 || !line.AsSpan(dash + 3).StartsWith("cgroup2 "))
                continue;
            var fields = line[..dash].Split(' ');
            return fields.Length > 4 ? fields[4].Replace("\\040", " ", StringComparison.Ordinal) : null;
        }
        return null;
    }

    public static CgroupV2 Create()
    {
        var mount = FindMount() ?? throw new RecorderException("no cgroup2 file system is mounted (see /proc/self/mountinfo)");
        var path = System.IO.Path.Combine(mount, $"portcullis-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecorderException($"cannot create a cgroup under {mount}: {e.Message}");
        }
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Libc.Errno;
            Directory.Delete(path);
            throw new RecorderException($"cannot open the cgroup {path}: {Libc.Describe(errno)}");
        }
        return new CgroupV2(path, fd);
    }

    /// <summary>Processes still in the cgroup or below it (after the command exited: what it left running).</summary>
    public int ProcessCount() => Subtree().Sum(dir => Pids(dir).Count);

    public void Dispose()
    {
        if (Descriptor >= 0)
        {
            Libc.close(Descriptor);
            Descriptor = -1;
        }
        if (!Directory.Exists(Path))
            return;
        var kill = System.IO.Path.Combine(Path, "cgroup.kill");
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                var cgroups = Subtree();
                if (cgroups.Any(dir => Pids(dir).Count > 0))
                {
                    if (File.Exists(kill))
                        File.WriteAllText(kill, "1");
                    else
                        foreach (var pid in cgroups.SelectMany(Pids))
                            Libc.kill(pid, Libc.SIGKILL);
                    Thread.Sleep(10);
                    continue;
                }
                // Deepest first: a cgroup with children cannot be removed.
                foreach (var dir in cgroups.OrderByDescending(d => d.Length))
                    Directory.Delete(dir);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(10);
            }
        }
    }

    // This cgroup and every cgroup below it (directories; the cgroup files are not directories).
    private List<string> Subtree() =>
        Directory.Exists(Path) ? [Path, .. Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories)] : [];

    private static List<int> Pids(string cgroup)
    {
        try
        {
            return File.ReadAllText(System.IO.Path.Combine(cgroup, "cgroup.procs")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
