using static Portcullis.Recorder.Native.Libc;

namespace Portcullis.Recorder.Launching;

/// <summary>Waits for a launcher this thread spawned (not traced), forwarding cancellation as SIGTERM. Returns the exit status, 128+N for signal N.</summary>
internal static class ChildProcess
{
    public static int Wait(int pid, CancellationToken cancel)
    {
        using var forward = cancel.Register(() => kill(pid, SIGTERM));
        while (true)
        {
            if (waitpid(pid, out var status, 0) == -1)
            {
                if (Errno == EINTR)
                    continue;
                throw new RecorderException($"lost the launcher: {Describe(Errno)}");
            }
            if (WIFEXITED(status))
                return WEXITSTATUS(status);
            if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        }
    }

    /// <summary>Runs <paramref name="work"/> on a dedicated thread (spawn and wait must share one) and completes with its result.</summary>
    public static Task<T> OnOwnThread<T>(string name, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }
}
