using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.Recorder.Launching;
using Portcullis.Recorder.Native;
using Portcullis.Profiles.Recordings;
using static Portcullis.Recorder.Native.Libc;

namespace Portcullis.Recorder.Ptrace;

/// <summary>
/// Runs one command under ptrace. Everything happens on one dedicated thread, because ptrace requests must
/// come from the thread that attached. The launcher stops itself; this thread seizes it (EXITKILL: no tracee
/// outlives the recorder; fork, vfork, clone and exec followed) and continues it; the launcher installs a
/// seccomp filter returning SECCOMP_RET_TRACE and execs, so each syscall of every thread and child costs
/// one stop. Signals are re-injected; group-stops are kept with PTRACE_LISTEN. When the command exits, what
/// it left running is killed, as in a container.
/// </summary>
internal sealed unsafe class PtraceSession
{
    private const long Options = Native.Ptrace.PTRACE_O_EXITKILL | Native.Ptrace.PTRACE_O_TRACESECCOMP | Native.Ptrace.PTRACE_O_TRACEFORK
        | Native.Ptrace.PTRACE_O_TRACEVFORK | Native.Ptrace.PTRACE_O_TRACECLONE | Native.Ptrace.PTRACE_O_TRACEEXEC;

    private readonly ObservationSink _sink = new(Backend.Ptrace);
    private readonly SyscallDecoder _decoder;
    private readonly Dictionary<(SeccompArch, int, SeccompAction), long> _complaints = [];
    private readonly HashSet<int> _live = [];
    private readonly bool _complain;
    private readonly Action<long, int>? _progress;
    private long _lastProgress;

    // Until the launcher's execve completes, its own calls (the runtime between filter and exec) are not the target's.
    private bool _execSeen;

    public PtraceSession(bool complain, Action<long, int>? progress)
    {
        _decoder = new SyscallDecoder(_sink);
        _complain = complain;
        _progress = progress;
    }

    public static Task<TraceOutcome> RunAsync(LauncherCommand launcher, LaunchRequest request, bool complain, Action<long, int>? progress, CancellationToken cancel) =>
        ChildProcess.OnOwnThread("portcullis-ptrace", () => new PtraceSession(complain, progress).Trace(launcher, request, cancel));

    private TraceOutcome Trace(LauncherCommand launcher, LaunchRequest request, CancellationToken cancel)
    {
        var main = Spawner.Spawn(launcher, request);
        if (WaitForSelfStop(main) is { } early)
            return new TraceOutcome(early, _sink, _complaints);

        if (ptrace(Native.Ptrace.PTRACE_SEIZE, main, IntPtr.Zero, new IntPtr(Options)) != 0)
        {
            var errno = Errno;
            kill(main, SIGKILL);
            waitpid(main, out _, __WALL | __WNOTHREAD);
            throw new RecorderException($"ptrace is not permitted here ({Describe(errno)}); check kernel.yama.ptrace_scope and seccomp policy");
        }
        _live.Add(main);
        using var forward = cancel.Register(() => kill(main, SIGTERM));
        kill(main, SIGCONT);

        int? exitCode = null;
        var leftRunning = 0;
        while (true)
        {
            var tid = waitpid(-1, out var status, __WALL | __WNOTHREAD);
            if (tid == -1)
            {
                if (Errno == EINTR)
                    continue;
                break;
            }
            if (WIFEXITED(status) || WIFSIGNALED(status))
            {
                _live.Remove(tid);
                if (tid == main)
                {
                    exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                    leftRunning = _live.Count(IsProcess);
                    foreach (var left in _live)
                        kill(left, SIGKILL);
                }
                continue;
            }
            if (WIFSTOPPED(status))
                OnStop(tid, status);
        }
        _progress?.Invoke(_sink.TotalSyscalls, _sink.DistinctSyscalls);
        return new TraceOutcome(exitCode ?? 128 + SIGKILL, _sink, _complaints) { LeftRunning = leftRunning };
    }

    // A thread group leader (a process), not one of a process's other threads.
    private static bool IsProcess(int tid)
    {
        try
        {
            return File.ReadLines($"/proc/{tid}/status").FirstOrDefault(l => l.StartsWith("Tgid:", StringComparison.Ordinal)) is { } line
                && line["Tgid:".Length..].Trim() == tid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return false;
        }
    }

    // The launcher stops itself before anything is recorded; if it exits instead, it could not start.
    private static int? WaitForSelfStop(int pid)
    {
        while (true)
        {
            if (waitpid(pid, out var status, WUNTRACED | __WALL | __WNOTHREAD) == -1)
            {
                if (Errno == EINTR)
                    continue;
                throw new RecorderException($"lost the launcher: {Describe(Errno)}");
            }
            if (WIFSTOPPED(status))
                return null;
            if (WIFEXITED(status))
                return WEXITSTATUS(status);
            if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        }
    }

    private void OnStop(int tid, int status)
    {
        _live.Add(tid);
        var signal = WSTOPSIG(status);
        var ev = (status >> 16) & 0xff;
        switch (ev)
        {
            case Native.Ptrace.PTRACE_EVENT_SECCOMP:
                OnSyscall(tid);
                Continue(tid, 0);
                break;
            case Native.Ptrace.PTRACE_EVENT_EXEC:
                _execSeen = true;
                Continue(tid, 0);
                break;
            case Native.Ptrace.PTRACE_EVENT_FORK or Native.Ptrace.PTRACE_EVENT_VFORK or Native.Ptrace.PTRACE_EVENT_CLONE:
                // Known from the parent's event on: if the command exits before the child's first stop is
                // reported, the child is still killed and counted as left running.
                ulong child;
                if (ptrace(Native.Ptrace.PTRACE_GETEVENTMSG, tid, IntPtr.Zero, (IntPtr)(&child)) == 0)
                    _live.Add((int)child);
                Continue(tid, 0);
                break;
            case Native.Ptrace.PTRACE_EVENT_STOP:
                // SIGTRAP: a new child's first stop. A stop signal: a real group-stop, kept until SIGCONT.
                if (signal is SIGSTOP or SIGTSTP or SIGTTIN or SIGTTOU && ptrace(Native.Ptrace.PTRACE_LISTEN, tid, 0, 0) == 0)
                    break;
                Continue(tid, 0);
                break;
            case 0:
                Continue(tid, signal);
                break;
            default:
                Continue(tid, 0);
                break;
        }
    }

    private void OnSyscall(int tid)
    {
        Native.Ptrace.SyscallInfo info;
        var n = ptrace(Native.Ptrace.PTRACE_GET_SYSCALL_INFO, tid, sizeof(Native.Ptrace.SyscallInfo), (IntPtr)(&info));
        if (n <= 0 || info.Op != Native.Ptrace.PTRACE_SYSCALL_INFO_SECCOMP || AuditArch.ToSeccomp(info.Arch, info.Nr) is not { } arch)
            return;
        var nr = (int)info.Nr;
        if (!_execSeen && SyscallTable.Name(nr, arch) is not ("execve" or "execveat"))
            return;
        _sink.Syscall(arch, nr);
        if (_complain)
        {
            var key = (arch, nr, (SeccompAction)(info.RetData & 0xffff));
            _complaints[key] = _complaints.GetValueOrDefault(key) + 1;
        }
        else
        {
            _decoder.Handle(tid, arch, nr, new ReadOnlySpan<ulong>(info.Args, 6));
        }

        if (_progress is not null && Environment.TickCount64 - _lastProgress > 200)
        {
            _lastProgress = Environment.TickCount64;
            _progress(_sink.TotalSyscalls, _sink.DistinctSyscalls);
        }
    }

    private static void Continue(int tid, int signal) =>
        ptrace(Native.Ptrace.PTRACE_CONT, tid, IntPtr.Zero, signal);
}
