using System.Runtime.InteropServices;
using Portcullis.Recorder.Native;

namespace Portcullis.Recorder.Launching;

/// <summary>
/// Starts the launcher with posix_spawn, not System.Diagnostics.Process: the child must be this thread's
/// own (the tracer waits for it with __WNOTHREAD) and unknown to .NET's SIGCHLD handling. The request
/// goes through a pipe that becomes the launcher's fd 3.
/// </summary>
internal static unsafe class Spawner
{
    public static int Spawn(LauncherCommand launcher, LaunchRequest request)
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) != 0)
            throw new RecorderException($"pipe2 failed: {Libc.Describe(Libc.Errno)}");

        var argv = new List<string> { launcher.Executable };
        argv.AddRange(launcher.Prefix);
        argv.Add(LauncherCommand.Verb);
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToList();

        var actions = Marshal.AllocHGlobal(256);
        var strings = new List<IntPtr>();
        try
        {
            Libc.posix_spawn_file_actions_init(actions);
            Libc.posix_spawn_file_actions_adddup2(actions, fds[0], 3);
            var argvPtr = NullTerminated(argv, strings);
            var envPtr = NullTerminated(env, strings);
            int pid, error;
            fixed (IntPtr* a = argvPtr, e = envPtr)
                error = Libc.posix_spawn(out pid, launcher.Executable, actions, IntPtr.Zero, a, e);
            if (error != 0)
                throw new RecorderException($"cannot start the launcher {launcher.Executable}: {Libc.Describe(error)}");

            var encoded = LaunchRequestCodec.Encode(request);
            fixed (byte* p = encoded)
            {
                var written = 0;
                while (written < encoded.Length)
                {
                    var n = Libc.write(fds[1], p + written, encoded.Length - written);
                    if (n <= 0)
                        throw new RecorderException($"cannot send the request to the launcher: {Libc.Describe(Libc.Errno)}");
                    written += (int)n;
                }
            }
            return pid;
        }
        finally
        {
            Libc.close(fds[0]);
            Libc.close(fds[1]);
            Libc.posix_spawn_file_actions_destroy(actions);
            Marshal.FreeHGlobal(actions);
            foreach (var s in strings)
                Marshal.FreeCoTaskMem(s);
        }
    }

    private static IntPtr[] NullTerminated(List<string> values, List<IntPtr> owned)
    {
        var result = new IntPtr[values.Count + 1];
        for (var i = 0; i < values.Count; i++)
        {
            result[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
            owned.Add(result[i]);
        }
        return result;
    }
}
