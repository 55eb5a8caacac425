namespace Portcullis.Testing;

/// <summary>
/// A lock across the test processes of one checkout (they run side by side): held while a test builds into the
/// checkout's own folders, so that no two builds write one output folder at once. An exclusive open of a file in obj/.
/// </summary>
public static class RepoLock
{
    public static T While<T>(string name, Func<T> build)
    {
        using var held = Take(name);
        return build();
    }

    public static IDisposable Take(string name)
    {
        var dir = Path.Combine(Repo.Root, "obj");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                // Held by another test process: its build takes seconds to minutes; look again shortly.
                Thread.Sleep(250);
            }
        }
    }
}
