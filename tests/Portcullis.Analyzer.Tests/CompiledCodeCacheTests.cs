using Portcullis.Analyzer.Cases;
using Portcullis.Analyzer.Il;
using Portcullis.Analyzer.Loading;
using Portcullis.Analyzer.Passes;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// The compiled framework kept between runs (il/ under the cache directory): a warm run reaches exactly what a
/// cold one does while compiling none of the framework again, and a file that no longer describes the assemblies
/// beside it (another build of a dependency, a corrupt file) is never used.
/// </summary>
public sealed class CompiledCodeCacheTests : IDisposable
{
    private static readonly string Root = typeof(ChildProcess).FullName + "::Run";
    private readonly string _cache = Directory.CreateTempSubdirectory("portcullis-il-").FullName;

    [Fact]
    public void A_warm_run_reaches_what_a_cold_one_does_and_compiles_only_the_apps_own_code()
    {
        var cold = Walk(out var coldCode);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_cache, "il"), "*.bin"));
        var warm = Walk(out var warmCode);

        Assert.Equal(cold, warm);
        Assert.True(coldCode.CompiledMethods > 1000, $"cold run compiled {coldCode.CompiledMethods} methods");
        Assert.DoesNotContain(warmCode.Modules, m => m.Cacheable && m.Grown);
        Assert.True(warmCode.CompiledMethods < coldCode.CompiledMethods / 10, $"warm {warmCode.CompiledMethods}, cold {coldCode.CompiledMethods}");
    }

    [Fact]
    public void Corrupt_cache_files_are_compiled_again_and_change_nothing()
    {
        var cold = Walk(out _);
        foreach (var file in Directory.GetFiles(Path.Combine(_cache, "il")))
        {
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        }
        Assert.Equal(cold, Walk(out var again));
        Assert.Contains(again.Modules, m => m.Cacheable && m.Grown);
    }

    [Fact]
    public void A_module_whose_dependency_is_now_another_build_is_not_read_from_the_cache()
    {
        Walk(out var code);
        // System.Diagnostics.Process calls into System.Private.CoreLib and others: its file names their builds.
        var process = Assert.Single(code.Modules, m => m.Name == "System.Diagnostics.Process");
        var file = IlCacheFile.PathFor(_cache, process.Mvid);
        ModuleCode Fresh(Guid mvid) => new(0, process.Name, mvid, process.Path, hasSymbols: false, cacheable: true);

        var asked = new List<string>();
        var valid = Fresh(process.Mvid);
        Assert.True(IlCacheFile.TryRead(file, valid, (name, _) => { asked.Add(name); return 1; }));
        Assert.NotEmpty(valid.Methods);
        Assert.Contains("System.Private.CoreLib", asked);

        var stale = Fresh(process.Mvid);
        Assert.False(IlCacheFile.TryRead(file, stale, (name, _) => name == "System.Private.CoreLib" ? null : 1));
        Assert.Empty(stale.Methods);

        Assert.False(IlCacheFile.TryRead(file, Fresh(Guid.NewGuid()), (_, _) => 1));
    }

    // The reached methods by module name and token, which do not depend on the run's module numbering.
    private SortedSet<string> Walk(out CodeModules code)
    {
        using var app = AppAssemblies.Load(AppContext.BaseDirectory, "Portcullis.Analyzer.Cases");
        code = new CodeModules(app, _cache);
        var reach = new Reachability(app, code).Run(Root);
        code.Save();
        var modules = code;
        return new SortedSet<string>(reach.Reached.Keys.Select(r => $"{modules[r.Module].Name}:{r.Token:x8}"), StringComparer.Ordinal);
    }

    public void Dispose() => Directory.Delete(_cache, recursive: true);
}
