using Mono.Cecil;

namespace Portcullis.Analyzer.Loading;

/// <summary>
/// The code analysis walks: the app's assemblies and its packages' (everything in the publish directory not
/// signed by Microsoft), read with Mono.Cecil once each and kept by MVID, with their PDBs when present; and,
/// resolved on demand, Microsoft's packages in the publish directory and the shared framework the app runs on
/// (<see cref="SharedFramework"/>), so that calls are followed down to the P/Invoke boundary. Also lists the
/// native libraries the app ships (not the runtime's own) and where to look for a P/Invoke's library.
/// </summary>
public sealed class AppAssemblies : IDisposable
{
    // Public key tokens of the .NET runtime, ASP.NET Core and Microsoft's packages.
    private static readonly HashSet<string> MicrosoftKeys = new(StringComparer.OrdinalIgnoreCase) { "b03f5f7f11d50a3a", "cc7b13ffcd2ddd51", "adb9793829ddae60", "7cec85d7bea7798e", "31bf3856ad364e35" };

    private static readonly string[] RuntimeNativePrefixes = ["libSystem.", "libcoreclr", "libclrjit", "libhostfxr", "libhostpolicy", "libmscordaccore", "libmscordbi", "libclrgc", "libcoreclrtraceptprovider", "libMicrosoft."];

    private readonly DefaultAssemblyResolver _resolver = new();
    private readonly Dictionary<Guid, ModuleDefinition> _byMvid = [];

    private AppAssemblies(string directory) => Directory = directory;

    public string Directory { get; }
    public IReadOnlyList<ModuleDefinition> Modules => [.. _byMvid.Values];
    public ModuleDefinition? EntryModule { get; private set; }
    public IReadOnlyList<string> NativeLibraries { get; private set; } = [];

    /// <summary>The shared framework directories the app runs on (none for a self-contained app).</summary>
    public IReadOnlyList<string> FrameworkDirectories { get; private set; } = [];

    /// <summary>Frameworks the app's runtimeconfig names that are not installed here: their code cannot be followed.</summary>
    public IReadOnlyList<string> MissingFrameworks { get; private set; } = [];

    /// <summary>Whether the directory carries its own runtime (self-contained): System.Private.CoreLib is in it.</summary>
    public bool SelfContained { get; private set; }

    /// <summary>Reads a publish directory (framework-dependent or self-contained), or a directory of assemblies.</summary>
    public static AppAssemblies Load(string directory, string? entryAssembly = null)
    {
        var app = new AppAssemblies(Path.GetFullPath(directory));
        // Cecil also looks in the working directory and bin/ by default: only the app and its framework count.
        app._resolver.RemoveSearchDirectory(".");
        app._resolver.RemoveSearchDirectory("bin");
        app._resolver.AddSearchDirectory(app.Directory);
        app.SelfContained = File.Exists(Path.Combine(app.Directory, "System.Private.CoreLib.dll"));
        if (!app.SelfContained)
        {
            var framework = SharedFramework.For(app.Directory);
            app.FrameworkDirectories = framework.Directories;
            app.MissingFrameworks = framework.Missing;
            foreach (var dir in framework.Directories)
                app._resolver.AddSearchDirectory(dir);
        }
        foreach (var file in System.IO.Directory.EnumerateFiles(app.Directory, "*.dll").Order(StringComparer.Ordinal))
        {
            var module = TryRead(file, app._resolver);
            if (module is null)
                continue;
            if (IsMicrosoft(module.Assembly.Name) || app._byMvid.ContainsKey(module.Mvid))
            {
                module.Dispose();
                continue;
            }
            app._byMvid[module.Mvid] = module;
        }
        var entryName = entryAssembly ?? EntryFromRuntimeConfig(app.Directory);
        app.EntryModule = app._byMvid.Values.FirstOrDefault(m => entryName is not null && string.Equals(m.Assembly.Name.Name, entryName, StringComparison.OrdinalIgnoreCase) && m.EntryPoint is not null)
            ?? app._byMvid.Values.FirstOrDefault(m => m.EntryPoint is not null);
        app.NativeLibraries = System.IO.Directory.EnumerateFiles(app.Directory, "*.so*", SearchOption.AllDirectories)
            .Where(f => !RuntimeNativePrefixes.Any(p => Path.GetFileName(f).StartsWith(p, StringComparison.Ordinal)))
            .Where(f => IsElf(f) && IsForLinuxX64(app.Directory, f))
            .Order(StringComparer.Ordinal).ToList();
        return app;
    }

    /// <summary>Whether the module of this MVID is the app's own code or a non-Microsoft package's: where evidence names a call site.</summary>
    public bool IsApp(Guid mvid) => _byMvid.ContainsKey(mvid);

    /// <summary>Where the assembly resolver looks for an assembly by name, in order: the app, then its framework.</summary>
    public IEnumerable<string> ResolverDirectories => [Directory, .. FrameworkDirectories];

    /// <summary>The module the resolver loads for an assembly name, or null when it finds none.</summary>
    public ModuleDefinition? ResolveModule(string assembly) => TryResolve(assembly)?.MainModule;

    /// <summary>Reads one file with the app's resolver (a module the resolver would not pick for its name).</summary>
    public ModuleDefinition ReadModule(string path) =>
        TryRead(path, _resolver) ?? throw new BadImageFormatException($"{path} is not a .NET module");

    private AssemblyDefinition? TryResolve(string assembly)
    {
        try
        {
            return _resolver.Resolve(new AssemblyNameReference(assembly, null));
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    /// <summary>Where the loader would look for a P/Invoke's library: the app (and its runtimes/linux-x64/native), then the framework.</summary>
    public IEnumerable<string> NativeSearchDirectories()
    {
        yield return Directory;
        foreach (var rid in new[] { "linux-x64", "linux", "unix" })
            yield return Path.Combine(Directory, "runtimes", rid, "native");
        foreach (var dir in FrameworkDirectories)
            yield return dir;
    }

    private static bool IsMicrosoft(AssemblyNameReference name)
    {
        // Cecil derives the token from the public key when only the key is stored.
        var token = name.PublicKeyToken is { Length: > 0 } t ? Convert.ToHexStringLower(t) : "";
        return MicrosoftKeys.Contains(token) || name.Name is "netstandard" or "mscorlib";
    }

    private static ModuleDefinition? TryRead(string file, IAssemblyResolver resolver)
    {
        var hasPdb = File.Exists(Path.ChangeExtension(file, ".pdb"));
        try
        {
            return ModuleDefinition.ReadModule(file, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = hasPdb, InMemory = true });
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or Mono.Cecil.Cil.SymbolsNotMatchingException or Mono.Cecil.Cil.SymbolsNotFoundException)
        {
            if (!hasPdb)
                return null;
            try
            {
                return ModuleDefinition.ReadModule(file, new ReaderParameters { AssemblyResolver = resolver, InMemory = true });
            }
            catch (BadImageFormatException)
            {
                return null;
            }
        }
    }

    // App.runtimeconfig.json names the app: App.dll is the entry assembly.
    private static string? EntryFromRuntimeConfig(string directory) =>
        System.IO.Directory.EnumerateFiles(directory, "*.runtimeconfig.json").Select(f => Path.GetFileName(f)[..^".runtimeconfig.json".Length]).FirstOrDefault();

    private static readonly byte[] ElfMagic = [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    private static bool IsElf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic.SequenceEqual(ElfMagic);
    }

    // runtimes/<rid>/native/ holds every platform's build: keep linux-x64's (and files outside runtimes/).
    private static bool IsForLinuxX64(string root, string path)
    {
        var parts = Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar);
        return parts.Length < 3 || parts[0] != "runtimes" || parts[1] is "linux-x64" or "linux" or "unix";
    }

    public void Dispose()
    {
        foreach (var m in _byMvid.Values)
            m.Dispose();
        _resolver.Dispose();
    }
}
