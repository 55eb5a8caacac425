using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Ebpf;

/// <summary>
/// A transient cgroup v2 for one recording. The cgroup2 mount is found in /proc/self/mountinfo (it may be
/// /sys/fs/cgroup or, on a hybrid layout, /sys/fs/cgroup/unified). Its id, which bpf_get_current_cgroup_id
/// returns, is the inode number of its directory. Disposing kills what is left in it and removes it.
/// </summary>
internal sealed class CgroupV2 : IDisposable
{
    private CgroupV2(string path, ulong id)
    {
        Path = path;
        Id = id;
    }

    public string Path { get; }
    public ulong Id { get; }
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
        return new CgroupV2(path, Inode(path));
    }

    /// <summary>Processes still in the cgroup (after the command exited: what it left running).</summary>
    public int ProcessCount()
    {
        try
        {
            return File.ReadAllText(Procs).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                var left = File.ReadAllText(Procs).Trim();
                if (left.Length > 0)
                {
                    if (File.Exists(System.IO.Path.Combine(Path, "cgroup.kill")))
                        File.WriteAllText(System.IO.Path.Combine(Path, "cgroup.kill"), "1");
                    else
                        foreach (var pid in left.Split('\n'))
                            Libc.kill(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture), Libc.SIGKILL);
                    Thread.Sleep(10);
                    continue;
                }
                Directory.Delete(Path);
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

    // statx(2) through syscall(2): glibc before 2.28 has no statx wrapper, and a "stat" export exists only from 2.33.
    private static unsafe ulong Inode(string path)
    {
        const long SysStatx = 332;
        const long AtFdcwd = -100;
        const long StatxIno = 0x100;
        var buffer = stackalloc byte[256];
        var name = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = name)
        {
            if (Libc.syscall(SysStatx, AtFdcwd, (long)p, 0, StatxIno, (long)buffer) != 0)
                throw new RecorderException($"cannot stat {path}: {Libc.Describe(Libc.Errno)}");
        }
        // struct statx: mask, blksize (u32 each), attributes (u64), nlink, uid, gid (u32), mode, spare (u16): stx_ino at 32.
        return *(ulong*)(buffer + 32);
    }
}
