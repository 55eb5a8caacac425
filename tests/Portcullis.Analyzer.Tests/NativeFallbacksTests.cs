using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Native;
using Portcullis.Analyzer.Passes;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// Each fallback's premise, on this machine's own library as analysis reads it: one function makes the marker import,
/// its only caller makes the failed syscall itself (so the branch into it follows that syscall), and every profile
/// allows that syscall. Then what the fallback alone made is gone from the exports that reach it.
/// </summary>
public sealed class NativeFallbacksTests
{
    public static TheoryData<string> Libraries => [.. NativeFallbacks.All.Select(f => f.Library).Distinct()];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void The_fallback_is_one_function_entered_only_from_the_code_that_made_the_syscall(string library)
    {
        var graph = Summary(library).Graph;
        foreach (var fallback in NativeFallbacks.For(library))
        {
            var marked = Enumerable.Range(0, graph.Functions.Count).Where(i => Imports(graph, i).Contains(fallback.Marker)).ToList();
            var function = Assert.Single(marked);
            Assert.Equal(fallback.Failed, graph.Functions[function].FallbackOf);
            var caller = Assert.Single(Enumerable.Range(0, graph.Functions.Count), i => graph.Functions[i].Calls.Contains(function));
            Assert.True(Makes(graph, caller, fallback.Failed), $"{library}: the caller of the {fallback.Marker} function does not make {fallback.Failed} first");
            Assert.Contains(fallback.Failed, DotnetRuntimeBase.Names);
        }
    }

    [Fact]
    public void OpenSSL_seeding_keeps_getentropy_and_loses_the_dev_random_wait()
    {
        var poll = Summary("libcrypto.so.3").Exports["RAND_poll"];
        Assert.Contains("getentropy", poll.Imports.Keys);
        Assert.DoesNotContain("shmget", poll.Imports.Keys);
        Assert.DoesNotContain("shmat", poll.Imports.Keys);
        Assert.DoesNotContain("shmdt", poll.Imports.Keys);
    }

    private static readonly Dictionary<string, LibrarySummary> Summaries = [];

    // Read fresh (not through the user's summary cache), once per library for the class.
    private static LibrarySummary Summary(string library)
    {
        lock (Summaries)
        {
            if (!Summaries.TryGetValue(library, out var summary))
                Summaries[library] = summary = LibrarySummary.Compute(NativeSide.FindSystemLibrary(library) ?? throw new FileNotFoundException($"no {library} where analysis looks"));
            return summary;
        }
    }

    private static HashSet<string> Imports(LibraryGraph graph, int function) =>
        [.. graph.Functions[function].Imports.Select(i => graph.Strings[i])];

    // getentropy is libc's getrandom; a raw syscall(SYS_getrandom) counts too.
    private static bool Makes(LibraryGraph graph, int function, string syscall) =>
        Imports(graph, function).Any(i => LibcSyscalls.For(i)?.Contains(syscall) == true)
        || graph.Functions[function].Syscalls.Any(n => SyscallTable.Name(n, SeccompArch.X86_64) == syscall);
}
