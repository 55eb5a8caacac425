using Portcullis.Analyzer.Knowledge;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Syscalls;

namespace Portcullis.Analyzer.Tests;

public sealed class KnowledgeBaseTests
{
    private static readonly KnowledgeBase Shipped = KnowledgeBase.Shipped() ?? throw new InvalidOperationException("no knowledge base is shipped");

    [Fact]
    public void The_shipped_knowledge_base_was_measured_on_the_installed_runtime()
    {
        // Stale when the runtime's major.minor moved on: regenerate with the command in the README.
        var measured = Version.Parse(Shipped.Runtime);
        Assert.True(measured.Major == Environment.Version.Major && measured.Minor == Environment.Version.Minor,
            $"knowledge-x86_64.json was measured on .NET {Shipped.Runtime}, this is {Environment.Version}: run tools/KnowledgeGen (see README)");
    }

    [Fact]
    public void Every_name_is_a_syscall()
    {
        Assert.All(Shipped.RuntimeBase.Concat(Shipped.Groups.SelectMany(g => g.Value)), n => Assert.True(SyscallTable.Exists(n), n));
    }

    [Fact]
    public void The_generators_dotnet_runtime_base_covers_what_the_empty_probe_measured()
    {
        var missing = Shipped.RuntimeBase.Except(DotnetRuntimeBase.Names, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "DotnetRuntimeBase lacks " + string.Join(", ", missing));
    }

    [Fact]
    public void Groups_measure_what_their_api_does()
    {
        Assert.Contains("listen", Shipped.Groups["kestrel"]);
        Assert.Contains("inotify_init1", Shipped.Groups["file-watcher"]);
        Assert.Contains("vfork", Shipped.Groups["process"]);
        Assert.Contains("connect", Shipped.Groups["tcp-client"]);
        Assert.DoesNotContain("listen", Shipped.Groups["tcp-client"]);
    }
}
