using Portcullis.Analyzer.Il;
using Portcullis.Analyzer.Loading;

namespace Portcullis.Analyzer.Passes;

/// <summary>
/// Resolves a P/Invoke's module the way the runtime's loader does on Linux: the name as written, with .so
/// appended and with lib prepended, in the app's directory (and runtimes/linux-x64/native), then the
/// framework's. QCalls go into the runtime, whose syscalls are the measured start-up base; libraries that only
/// exist on Windows sit behind OperatingSystem checks the framework's Linux build never takes.
/// </summary>
internal sealed class PInvokeTargets
{
    private static readonly string[] Libc = ["libc", "libc.so", "libc.so.6", "c", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libm.so.6"];
    private static readonly string[] Runtime = ["QCall", "libcoreclr", "libcoreclr.so", "libclrjit"];
    private static readonly string[] WindowsSuffixes = [".dll", ".DLL"];
    private static readonly HashSet<string> Windows = new(StringComparer.OrdinalIgnoreCase)
    {
        "kernel32", "kernelbase", "ntdll", "advapi32", "user32", "ole32", "oleaut32", "ws2_32", "crypt32", "bcrypt", "ncrypt", "secur32", "sspicli",
        "iphlpapi", "winhttp", "mswsock", "shell32", "version", "netapi32", "wldap32", "activeds", "dbghelp", "mscoree", "clr", "winmm", "gdi32",
        "psapi", "userenv", "wtsapi32", "credui", "cryptui", "httpapi", "rpcrt4", "normaliz", "icu", "dwmapi", "uxtheme",
        "comctl32", "comdlg32", "msi", "wintrust", "pdh", "wevtapi", "webio", "webcrypt", "combase", "api-ms-win-core-winrt-l1-1-0", "ucrtbase", "hostfxr", "libhostfxr",
    };

    private readonly AppAssemblies _app;
    private readonly Dictionary<string, PInvokeTarget> _byModule = new(StringComparer.Ordinal);

    public PInvokeTargets(AppAssemblies app) => _app = app;

    public PInvokeTarget Of(CompiledMethod pinvoke)
    {
        var module = pinvoke.PInvokeModule;
        var entry = pinvoke.PInvokeEntry;
        if (!_byModule.TryGetValue(module, out var target))
            _byModule[module] = target = Locate(module);
        return target with { Entry = entry };
    }

    private PInvokeTarget Locate(string module)
    {
        if (Libc.Contains(module))
            return new(PInvokeTargetKind.Libc, module, "", null);
        if (Runtime.Contains(module))
            return new(PInvokeTargetKind.Runtime, module, "", null);
        var bare = WindowsSuffixes.Aggregate(module, (m, s) => m.EndsWith(s, StringComparison.Ordinal) ? m[..^s.Length] : m);
        if (Windows.Contains(bare) || bare.StartsWith("api-ms-win-", StringComparison.OrdinalIgnoreCase) || module.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return new(PInvokeTargetKind.WindowsOnly, module, "", null);
        string[] names = [module, module + ".so", "lib" + module + ".so", "lib" + module];
        foreach (var dir in _app.NativeSearchDirectories())
        {
            foreach (var name in names)
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path))
                    return new(PInvokeTargetKind.Library, module, "", path);
            }
        }
        return new(PInvokeTargetKind.NotFound, module, "", null);
    }
}
