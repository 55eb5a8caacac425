namespace Portcullis.Analyzer.Tests;

/// <summary>A shared library built from C source with the real gcc, in a fresh directory removed after the test.</summary>
internal static class GccLibrary
{
    /// <summary>Builds <paramref name="source"/> with gcc -O2 as <paramref name="name"/>, runs the test on its path, then removes it.</summary>
    public static void With(string name, string source, Action<string> test)
    {
        var gcc = Requires.Tool("gcc", "gcc");
        var dir = Directory.CreateTempSubdirectory("portcullis-gcc-").FullName;
        try
        {
            var library = Path.Combine(dir, name);
            File.WriteAllText(Path.Combine(dir, "source.c"), source);
            // Missing gcc in CI is a failure, never a skip.
            var (code, output) = Requires.Run(gcc, "-shared", "-fPIC", "-O2", "-o", library, Path.Combine(dir, "source.c"));
            Assert.True(code == 0, output);
            test(library);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
