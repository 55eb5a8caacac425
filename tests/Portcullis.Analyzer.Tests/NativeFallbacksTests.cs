using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Native;
using Portcullis.Analyzer.Passes;
using Portcullis.Profiles.Generation;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// Each fallback on this machine's own library as analysis reads it: the shape the rule rests on is found (so the wait
/// is not followed, and RAND_poll keeps getentropy but loses shmget, shmat, shmdt); and a library of another shape
/// (the wait's caller not seeding from getrandom first) is followed as any other code.
/// </summary>
public sealed class NativeFallbacksTests
{
    public static TheoryData<string> Libraries => [.. NativeFallbacks.All.Select(f => f.Library).Distinct()];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void On_this_machine_s_library_the_premise_holds_for_one_function(string library)
    {
        var graph = Summary(library).Graph;
        foreach (var fallback in NativeFallbacks.For(library))
        {
            var function = Assert.Single(Enumerable.Range(0, graph.Functions.Count), i => graph.Functions[i].Imports.Any(s => graph.Strings[s] == fallback.Marker));
            Assert.Equal(fallback.Failed, graph.Functions[function].FallbackOf);
            Assert.Contains(fallback.Failed, DotnetRuntimeBase.Names);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_library_of_another_shape_is_followed_as_any_other_code(bool callerSeedsFirst)
    {
        // libcrypto's shape: a static wait making shmget, called only after getentropy. Without getentropy in the
        // caller (a build seeding from /dev/random only), the wait is ordinary code and its shmget is predicted.
        GccLibrary.With("libcrypto.so.3", $$"""
            #include <sys/random.h>
            #include <sys/shm.h>
            __attribute__((noinline)) static int wait_seeded(void) { return shmget(114, 1, 0) != -1; }
            int seed(unsigned char *buf) {
                {{(callerSeedsFirst ? "if (getentropy(buf, 32) == 0) return 32;" : "")}}
                return wait_seeded() ? 0 : -1;
            }
            """, library =>
        {
            var seed = LibrarySummary.Compute(library).Exports["seed"];
            Assert.Equal(!callerSeedsFirst, seed.Imports.ContainsKey("shmget"));
        });
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
}
