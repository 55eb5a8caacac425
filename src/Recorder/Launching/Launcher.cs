using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Recorder.Enforcing;
using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Launching;

/// <summary>
/// Launcher mode of the portcullis executable: prepares this process for recording or enforcement and
/// then execs the target, so that the target's syscalls are seen from its execve on and the launcher's
/// own start-up is not. Exit 127 when the target cannot be executed (as shells do), 126 when it is not
/// executable.
/// </summary>
public static unsafe class Launcher
{
    public static int Run()
    {
        LaunchRequest request;
        try
        {
            // Disposing the stream closes fd 3, so the target does not inherit it.
            using var stream = new FileStream(new SafeFileHandle(3, ownsHandle: true), FileAccess.Read);
            request = LaunchRequestCodec.Decode(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(Diagnostic.Error(DiagnosticId.RecorderFailed, $"the launcher mode is internal to portcullis record and run ({e.Message})"));
            return 127;
        }

        try
        {
            if (request.WorkingDirectory is { } dir && Libc.chdir(dir) != 0)
                return Fail(126, $"cannot change to directory '{dir}': {Libc.Describe(Libc.Errno)}");
            Prepare(request);
        }
        catch (RecorderException e)
        {
            return Fail(126, e.Message);
        }
        return Exec(request);
    }

    private static void Prepare(LaunchRequest request)
    {
        switch (request.Mode)
        {
            case LaunchMode.Ptrace:
                StopForTracer();
                SeccompFilter.TraceEverySyscall();
                break;
            case LaunchMode.Cgroup:
                File.WriteAllText(request.CgroupProcs!, Libc.getpid().ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            case LaunchMode.Enforce:
                SeccompFilter.SetNoNewPrivileges();
                LibseccompFilter.Load(request.SeccompProfileJson!, complain: false);
                break;
            case LaunchMode.Complain:
                StopForTracer();
                SeccompFilter.SetNoNewPrivileges();
                LibseccompFilter.Load(request.SeccompProfileJson!, complain: true);
                break;
        }
    }

    // The parent seizes this process while it is stopped, then continues it.
    private static void StopForTracer()
    {
        if (Libc.kill(Libc.getpid(), Libc.SIGSTOP) != 0)
            throw new RecorderException($"cannot stop for the tracer: {Libc.Describe(Libc.Errno)}");
    }

    private static int Exec(LaunchRequest request)
    {
        var argv = new List<string> { request.Path };
        argv.AddRange(request.Arguments);
        var env = request.Environment.Select(e => $"{e.Key}={e.Value}").ToList();
        var argvPtr = Strings(argv);
        var envPtr = Strings(env);
        // An ELF program the kernel will not run (i386 where IA32 emulation is off) must not go to execvpe, which
        // would hand it to /bin/sh as a script and so record the shell's failure as if it were the program.
        var elf = ElfKind.Of(Resolve(request.Path, request.Environment));
        fixed (IntPtr* a = argvPtr, e = envPtr)
        {
            if (elf is { } kind)
                Libc.execve(kind.Path, a, e);
            else
                Libc.execvpe(request.Path, a, e);
        }
        var errno = Libc.Errno;
        if (elf is { } refused && errno == Libc.ENOEXEC)
            return Fail(127, $"the kernel refuses to run '{request.Path}', {refused.Description}: this host cannot execute that architecture, so nothing was recorded", DiagnosticId.ArchitectureNotRunnable);
        return Fail(errno == 13 ? 126 : 127, $"cannot execute '{request.Path}': {Libc.Describe(errno)}");
    }

    // As execvpe looks a name up: a path with a slash as it is, else the first executable file on PATH.
    private static string? Resolve(string name, IReadOnlyDictionary<string, string> environment)
    {
        if (name.Contains('/', StringComparison.Ordinal))
            return name;
        var path = environment.TryGetValue("PATH", out var p) ? p : "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    private static IntPtr[] Strings(List<string> values)
    {
        var result = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
            result[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        return result;
    }

    private static int Fail(int code, string message, DiagnosticId id = DiagnosticId.LaunchFailed)
    {
        Console.Error.WriteLine(DiagnosticLine.Format(Diagnostic.Error(id, message)));
        return code;
    }
}
