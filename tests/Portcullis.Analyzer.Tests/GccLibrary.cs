namespace Portcullis.Analyzer.Tests;

/// <summary>Shared libraries built from C source with the real gcc, in a fresh directory removed after the test.</summary>
internal static class GccLibrary
{
    /// <summary>Builds <paramref name="source"/> as <paramref name="name"/>, runs the test on its path, then removes it.</summary>
    public static void With(string name, string source, Action<string> test, params string[] flags) =>
        With([(name, source)], paths => test(paths[0]), flags);

    /// <summary>
    /// Builds each library in order (gcc -shared -fPIC -O2, then <paramref name="flags"/>) into one directory, so that
    /// one may dlopen another by name, runs the test on their paths, then removes the directory.
    /// </summary>
    public static void With((string Name, string Source)[] libraries, Action<string[]> test, params string[] flags)
    {
        // Missing gcc in CI is a failure, never a skip.
        var gcc = Requires.Tool("gcc", "gcc");
        var dir = Directory.CreateTempSubdirectory("portcullis-gcc-").FullName;
        try
        {
            var paths = new string[libraries.Length];
            for (var i = 0; i < libraries.Length; i++)
            {
                var (name, source) = libraries[i];
                paths[i] = Path.Combine(dir, name);
                var file = Path.Combine(dir, Path.GetFileNameWithoutExtension(name) + ".c");
                File.WriteAllText(file, source);
                var (code, output) = Requires.Run(gcc, ["-shared", "-fPIC", "-O2", .. flags, "-o", paths[i], file]);
                Assert.True(code == 0, output);
            }
            test(paths);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
