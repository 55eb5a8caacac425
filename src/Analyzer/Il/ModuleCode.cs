using Mono.Cecil;

namespace Portcullis.Analyzer.Il;

/// <summary>
/// One module's compiled methods and types, by metadata token: read from the cache when it holds this module
/// (by MVID) and everything its references resolved into is unchanged, grown from Cecil on each miss.
/// </summary>
internal sealed class ModuleCode(int id, string name, Guid mvid, string? path, bool hasSymbols, bool cacheable)
{
    public int Id { get; } = id;
    public string Name { get; } = name;
    public Guid Mvid { get; } = mvid;
    public string? Path { get; } = path;

    /// <summary>A PDB sits beside it: a project's build output rather than a package's or the framework's.</summary>
    public bool HasSymbols { get; } = hasSymbols;

    /// <summary>Whether its compiled form is kept on disk: not the app's own build output (beside its PDB), which changes with every build.</summary>
    public bool Cacheable { get; } = cacheable;

    public ModuleDefinition? Cecil { get; set; }
    public Dictionary<int, CompiledMethod> Methods { get; } = [];
    public Dictionary<int, CompiledType> Types { get; } = [];

    /// <summary>Type names looked up in it (Type.GetType's argument) and the type token found, 0 for none.</summary>
    public Dictionary<string, int> TypeNames { get; } = new(StringComparer.Ordinal);

    public bool Loaded { get; set; }

    /// <summary>Something was compiled or looked up that the cache does not hold yet.</summary>
    public bool Grown { get; set; }
}
