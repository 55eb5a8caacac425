using System.Reflection.PortableExecutable;
using Mono.Cecil;
using Portcullis.Analyzer.Loading;

namespace Portcullis.Analyzer.Il;

/// <summary>
/// Every module reachability touches, the app's and its framework's, each with its compiled code
/// (<see cref="ModuleCode"/>). The framework is the same for every app on a runtime version, so its compiled
/// methods are kept on disk (<see cref="IlCacheFile"/>) and Cecil reads a framework assembly only for what the cache
/// does not hold yet; the app's own code is compiled from Cecil on every run.
/// </summary>
internal sealed class CodeModules
{
    private readonly AppAssemblies _app;
    private readonly string? _cacheDirectory;
    private readonly List<ModuleCode> _modules = [];
    private readonly Dictionary<Guid, ModuleCode> _byMvid = [];
    private readonly Dictionary<string, ModuleCode?> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly IlCompiler _compiler;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _platformAssemblies = new(PlatformAssemblies);
    private readonly Lazy<bool> _appHasSymbols;

    /// <param name="cacheDirectory">The Portcullis cache directory (its il/ folder holds the compiled framework), or null for none.</param>
    public CodeModules(AppAssemblies app, string? cacheDirectory)
    {
        _app = app;
        _cacheDirectory = cacheDirectory;
        _compiler = new IlCompiler(m => ForCecil(m).Id);
        _appHasSymbols = new(() => _modules.Any(m => m.HasSymbols && IsApp(m.Id)));
        // The app's own copies first: they carry the PDBs evidence reads source lines from.
        foreach (var module in app.Modules)
            ForCecil(module);
    }

    /// <summary>Methods compiled from IL in this run (not read from the cache).</summary>
    public int CompiledMethods { get; private set; }

    public ModuleCode this[int id] => _modules[id];

    public IReadOnlyList<ModuleCode> Modules => _modules;

    public IlCompiler Compiler => _compiler;

    public bool IsApp(int module) => _app.IsApp(_modules[module].Mvid);

    /// <summary>
    /// Whether evidence names a method of this module as the app's call site: the app's own build output (beside its
    /// PDB), where a package's code is a step on the way to the P/Invoke; every app module when none has a PDB.
    /// </summary>
    public bool IsCallSite(int module) => IsApp(module) && (_modules[module].HasSymbols || !_appHasSymbols.Value);

    public CodeRef Ref(IMemberDefinition definition) => _compiler.Ref(definition);

    public ModuleCode ForCecil(ModuleDefinition module)
    {
        if (_byMvid.TryGetValue(module.Mvid, out var known))
        {
            known.Cecil ??= module;
            return known;
        }
        var code = Add(module.Assembly.Name.Name, module.Mvid, module.FileName);
        code.Cecil = module;
        _byName.TryAdd(code.Name, code);
        return code;
    }

    public CompiledMethod Method(CodeRef method)
    {
        var module = Loaded(method.Module);
        if (module.Methods.TryGetValue(method.Token, out var compiled))
            return compiled;
        var definition = (MethodDefinition)Cecil(module).LookupToken(method.Token);
        compiled = _compiler.Method(definition);
        CompiledMethods++;
        module.Methods[method.Token] = compiled;
        module.Grown = true;
        return compiled;
    }

    public CompiledType Type(CodeRef type)
    {
        var module = Loaded(type.Module);
        if (module.Types.TryGetValue(type.Token, out var compiled))
            return compiled;
        compiled = _compiler.Type((TypeDefinition)Cecil(module).LookupToken(type.Token));
        module.Types[type.Token] = compiled;
        module.Grown = true;
        return compiled;
    }

    /// <summary>The type an assembly-qualified or plain name denotes (Type.GetType's argument): in the named assembly, else in the app's assemblies, then System.Private.CoreLib.</summary>
    public CodeRef? FindType(string name)
    {
        var comma = name.IndexOf(',', StringComparison.Ordinal);
        var typeName = (comma < 0 ? name : name[..comma]).Trim().Replace('+', '/');
        IEnumerable<ModuleCode?> modules = comma >= 0
            ? [ForName(name[(comma + 1)..].Split(',')[0].Trim())]
            : [.. _app.Modules.Select(ForCecil), ForName("System.Private.CoreLib")];
        foreach (var module in modules.OfType<ModuleCode>())
        {
            Loaded(module.Id);
            if (!module.TypeNames.TryGetValue(typeName, out var token))
            {
                module.TypeNames[typeName] = token = Cecil(module).GetType(typeName)?.MetadataToken.ToInt32() ?? 0;
                module.Grown = true;
            }
            if (token != 0)
                return new CodeRef(module.Id, token);
        }
        return null;
    }

    /// <summary>Writes back the framework modules this run compiled more of.</summary>
    public void Save()
    {
        if (_cacheDirectory is null)
            return;
        foreach (var module in _modules.Where(m => m.Grown && m.Cacheable))
            IlCacheFile.TryWrite(IlCacheFile.PathFor(_cacheDirectory, module.Mvid), module, id => (_modules[id].Name, _modules[id].Mvid));
    }

    // The module the assembly resolver would load for a name: the app's directory, then the framework's, then the
    // platform assemblies of the runtime analysis runs on (Cecil's last resort); identified by MVID without Cecil.
    private ModuleCode? ForName(string assembly)
    {
        if (_byName.TryGetValue(assembly, out var known))
            return known;
        ModuleCode? found = null;
        if (Locate(assembly) is { } path && Mvid(path) is { } mvid)
            found = _byMvid.TryGetValue(mvid, out var same) ? same : Add(assembly, mvid, path);
        return _byName[assembly] = found;
    }

    private string? Locate(string assembly)
    {
        foreach (var dir in _app.ResolverDirectories)
        {
            foreach (var extension in new[] { ".exe", ".dll" })
            {
                var path = System.IO.Path.Combine(dir, assembly + extension);
                if (File.Exists(path))
                    return path;
            }
        }
        return _platformAssemblies.Value.GetValueOrDefault(assembly);
    }

    private ModuleCode Add(string name, Guid mvid, string? path)
    {
        var symbols = path is not null && File.Exists(System.IO.Path.ChangeExtension(path, ".pdb"));
        var code = new ModuleCode(_modules.Count, name, mvid, path, symbols, cacheable: _cacheDirectory is not null && path is not null && !symbols);
        _modules.Add(code);
        _byMvid[mvid] = code;
        return code;
    }

    private ModuleCode Loaded(int id)
    {
        var module = _modules[id];
        if (module.Loaded)
            return module;
        module.Loaded = true;
        if (module.Cacheable)
        {
            IlCacheFile.TryRead(IlCacheFile.PathFor(_cacheDirectory!, module.Mvid), module,
                (name, mvid) => ForName(name) is { } m && m.Mvid == mvid ? m.Id : null);
        }
        return module;
    }

    private ModuleDefinition Cecil(ModuleCode module)
    {
        if (module.Cecil is { } cecil)
            return cecil;
        var resolved = _app.ResolveModule(module.Name);
        module.Cecil = resolved is not null && resolved.Mvid == module.Mvid ? resolved : _app.ReadModule(module.Path!);
        return module.Cecil;
    }

    private static Guid? Mvid(string path)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(path));
            if (!pe.HasMetadata)
                return null;
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        }
        catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IReadOnlyDictionary<string, string> PlatformAssemblies()
    {
        var list = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in list)
            byName.TryAdd(System.IO.Path.GetFileNameWithoutExtension(path), path);
        return byName;
    }
}
