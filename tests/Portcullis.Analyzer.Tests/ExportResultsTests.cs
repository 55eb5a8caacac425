using Portcullis.Analyzer.Native;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// Answers per native export kept between runs: read back instead of computed, and void once a file they were
/// computed from changes (a system update replacing libssl).
/// </summary>
public sealed class ExportResultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portcullis-exports-").FullName;

    [Fact]
    public void An_answer_is_read_back_until_an_input_file_changes()
    {
        var library = Path.Combine(_dir, "libshim.so");
        var input = Path.Combine(_dir, "libopened.so");
        File.WriteAllBytes(library, [1, 2, 3]);
        File.WriteAllBytes(input, [4, 5]);
        var cache = Path.Combine(_dir, "cache");
        var computed = 0;
        (ExportResult, IEnumerable<string>) Compute()
        {
            computed++;
            return (new ExportResult([new ViaSyscalls("libshim.so!f → read", ["read", "pread64"])], false, [new UnknownFunction("frob", "libshim.so!f → frob")]), [input]);
        }

        var first = ExportResults.For(library, cache);
        var answer = first.Of("f", Compute);
        first.Save();
        var again = ExportResults.For(library, cache).Of("f", Compute);
        Assert.Equal(1, computed);
        Assert.Equal(answer.Found.Single().Syscalls, again.Found.Single().Syscalls);
        Assert.Equal(answer.Unknown, again.Unknown);

        File.WriteAllBytes(input, [4, 5, 6]);
        ExportResults.For(library, cache).Of("f", Compute);
        Assert.Equal(2, computed);
    }

    [Fact]
    public void The_opened_libraries_imports_and_what_their_tables_reach_are_kept_apart_and_read_back()
    {
        var library = Path.Combine(_dir, "libshim.so");
        File.WriteAllBytes(library, [1, 2, 3]);
        var cache = Path.Combine(_dir, "cache");
        var computed = 0;
        Func<(ExportResult, IEnumerable<string>)> Answer(string syscall) => () =>
        {
            computed++;
            return (new ExportResult([new ViaSyscalls("libopened.so → " + syscall, [syscall])], false, []), []);
        };

        var first = ExportResults.For(library, cache);
        Assert.Equal("mlock", first.Opened(Answer("mlock")).Found.Single().Syscalls.Single());
        Assert.Equal("accept", first.InTables(Answer("accept")).Found.Single().Syscalls.Single());
        first.Save();
        var again = ExportResults.For(library, cache);
        Assert.Equal("mlock", again.Opened(Answer("other")).Found.Single().Syscalls.Single());
        Assert.Equal("accept", again.InTables(Answer("other")).Found.Single().Syscalls.Single());
        Assert.Equal(2, computed);
    }

    [Fact]
    public void Another_library_content_has_its_own_answers()
    {
        var library = Path.Combine(_dir, "libshim.so");
        File.WriteAllBytes(library, [1, 2, 3]);
        var cache = Path.Combine(_dir, "cache");
        var computed = 0;
        (ExportResult, IEnumerable<string>) Compute()
        {
            computed++;
            return (new ExportResult([], false, []), []);
        }
        var results = ExportResults.For(library, cache);
        results.Of("f", Compute);
        results.Save();
        File.WriteAllBytes(library, [1, 2, 3, 4]);
        ExportResults.For(library, cache).Of("f", Compute);
        Assert.Equal(2, computed);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
