using System.Text.Json;
using Portcullis.Analyzer.Native;
using Xunit;

namespace Portcullis.Analyzer.Tests;

/// <summary>Per-export reachability read statically from the runtime's own native libraries, and from one gcc builds.</summary>
public sealed class NativeSummaryTests
{
    private static readonly string[] SocketCalls = ["socket", "connect", "bind", "listen", "accept", "accept4", "sendto", "recvfrom", "sendmsg", "recvmsg"];

    // The shared framework that runs these tests is an installed one, so its directory holds the shims.
    private static readonly string Runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static readonly Lazy<LibrarySummary> SystemNative = new(() => LibrarySummary.Compute(Path.Combine(Runtime, "libSystem.Native.so")));

    private static ExportSummary Export(string name) => SystemNative.Value.Exports[name];

    [Fact]
    public void SendFile_reaches_sendfile()
    {
        var export = Export("SystemNative_SendFile");
        Assert.Contains(export.Imports.Keys, k => k is "sendfile" or "sendfile64");
    }

    [Fact]
    public void SetPriority_reaches_setpriority()
    {
        Assert.Equal(["SystemNative_SetPriority"], Export("SystemNative_SetPriority").Imports["setpriority"]);
    }

    [Fact]
    public void ForkAndExecProcess_reaches_vfork_and_execve_with_chains_from_the_export()
    {
        var export = Export("SystemNative_ForkAndExecProcess");
        var fork = export.Imports.Keys.Single(k => k is "vfork" or "fork");
        foreach (var name in new[] { fork, "execve" })
            Assert.Equal("SystemNative_ForkAndExecProcess", export.Imports[name][0]);
        // The child's error path is a static function: the chain names it, so it went through a call inside the library.
        Assert.Contains(export.Imports.Values, chain => chain.Count > 1 && chain[1].StartsWith("sub_", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_reaches_open()
    {
        Assert.Contains(Export("SystemNative_Open").Imports.Keys, k => k is "open" or "open64" or "openat" or "openat64");
    }

    [Fact]
    public void Syscalls_made_through_syscall3_report_their_numbers()
    {
        Assert.Equal(["SystemNative_MemfdCreate"], Export("SystemNative_MemfdCreate").Syscalls[319]); // memfd_create
        Assert.Contains(326, Export("SystemNative_CopyFile").Syscalls.Keys); // copy_file_range
        Assert.Contains(186, Export("SystemNative_GetUInt64OSThreadId").Syscalls.Keys); // gettid
        Assert.Empty(Export("SystemNative_SetPriority").Syscalls);
    }

    [Fact]
    public void A_pure_function_reaches_no_socket_calls()
    {
        var export = Export("SystemNative_StrErrorR");
        Assert.Contains("strerror_r", export.Imports.Keys);
        Assert.DoesNotContain(export.Imports.Keys, SocketCalls.Contains);
        Assert.False(export.UnresolvedIndirect);
        // The same question can say yes: the socket export does reach socket.
        Assert.Contains("socket", Export("SystemNative_Socket").Imports.Keys);
    }

    [Fact]
    public void A_switch_s_jump_table_is_not_an_unresolved_call_but_a_callback_is()
    {
        var convert = Export("SystemNative_ConvertErrorPalToPlatform");
        Assert.False(convert.UnresolvedIndirect);
        Assert.Empty(convert.Imports);
        Assert.True(Export("SystemNative_EnumerateInterfaceAddresses").UnresolvedIndirect);
    }

    [Fact]
    public void Exports_called_through_the_library_s_own_plt_are_followed_not_reported_as_imports()
    {
        var summary = SystemNative.Value;
        Assert.Contains("libc.so.6", summary.Needed);
        Assert.DoesNotContain(summary.Exports.Values.SelectMany(e => e.Imports.Keys), summary.Exports.ContainsKey);
    }

    [Fact]
    public void The_openssl_shim_dlopens_libssl_and_calls_through_pointers()
    {
        var summary = LibrarySummary.Compute(Path.Combine(Runtime, "libSystem.Security.Cryptography.Native.OpenSsl.so"));
        Assert.Contains(summary.Opened, n => n.StartsWith("libssl.so", StringComparison.Ordinal));
        Assert.Contains(summary.Exports.Values, e => e.UnresolvedIndirect);
        Assert.Contains(summary.Exports.Values, e => !e.UnresolvedIndirect);
    }

    [Fact]
    public void Every_runtime_shim_is_summarised_with_chains_that_start_at_their_export()
    {
        // How long it takes is bench/AnalyzerSpeed's to say, not a test's.
        foreach (var file in Directory.GetFiles(Runtime, "libSystem.*.so").Order(StringComparer.Ordinal))
        {
            var summary = LibrarySummary.Compute(file);
            Assert.NotEmpty(summary.Exports);
            Assert.All(summary.Exports.Values, e => Assert.All(e.Imports.Values.Concat(e.Syscalls.Values), c => Assert.Equal(e.Export, c[0])));
        }
    }

    [Fact]
    public void A_gcc_built_library_s_raw_syscalls_got_calls_tail_calls_and_callbacks_are_followed()
    {
        // -fno-plt makes libc calls go through GOT slots; -s strips .symtab, so static functions are known only from .eh_frame_hdr.
        GccLibrary.With("libprobe.so", """
            #include <signal.h>
            #include <unistd.h>
            static inline long raw(long n) { long r; __asm__ volatile ("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory"); return r; }
            __attribute__((noinline)) static int deep(int fd) { return fsync(fd) * 3; }
            __attribute__((noinline)) static int helper(int fd) { return deep(fd) + fd; }
            __attribute__((noinline)) static int tail(int fd) { return fdatasync(fd); }
            __attribute__((noinline)) static void on_signal(int s) { (void)s; write(2, "x", 1); }
            __attribute__((noinline)) static int via_pointer(int fd) { return fchmod(fd, 0600); }
            static int (*volatile hook)(int) = via_pointer;
            int probe_raw(void) { return (int)raw(39) + 1; }
            int probe_choice(int flag) { long n; if (flag > 0) n = 39; else { fsync(flag); n = 186; } return (int)raw(n); }
            int probe_computed(int n) { int s = 0; for (int i = 0; i < n; i++) s += (int)raw(i & 1 ? 39 : 186); return s; }
            int probe_chain(int fd) { return helper(fd) + 1; }
            int probe_tail(int fd) { return tail(fd + 1); }
            int probe_callback(void) { return signal(SIGUSR1, on_signal) == SIG_ERR; }
            int probe_indirect(int (*f)(void)) { return f() + 1; }
            int probe_pure(int a) { return a * 2; }
            int probe_hook(int fd) { return hook(fd); }
            """, library =>
        {
            var exports = LibrarySummary.Compute(library).Exports;
            Assert.Equal(["probe_raw"], exports["probe_raw"].Syscalls[39]);
            Assert.False(exports["probe_raw"].UnresolvedIndirect);
            // gcc sets eax on both branches and jumps back to one syscall instruction: both numbers reach it.
            Assert.Equal([39, 186], exports["probe_choice"].Syscalls.Keys.Order());
            Assert.False(exports["probe_choice"].UnresolvedIndirect);
            // A number computed with arithmetic is not a constant: that syscall could be any.
            Assert.True(exports["probe_computed"].UnresolvedIndirect);
            var chain = exports["probe_chain"].Imports["fsync"];
            Assert.Equal(3, chain.Count);
            Assert.Equal("probe_chain", chain[0]);
            Assert.All(chain.Skip(1), f => Assert.StartsWith("sub_", f, StringComparison.Ordinal));
            Assert.Equal(2, exports["probe_tail"].Imports["fdatasync"].Count);
            Assert.Contains("write", exports["probe_callback"].Imports.Keys);
            Assert.Contains("signal", exports["probe_callback"].Imports.Keys);
            Assert.True(exports["probe_indirect"].UnresolvedIndirect);
            Assert.False(exports["probe_chain"].UnresolvedIndirect);
            // A pointer in writable data goes where the loader set it, and anywhere the program stores later.
            Assert.Equal(2, exports["probe_hook"].Imports["fchmod"].Count);
            Assert.True(exports["probe_hook"].UnresolvedIndirect);
            Assert.Empty(exports["probe_pure"].Imports);
            Assert.Empty(exports["probe_pure"].Syscalls);
        }, "-fno-plt", "-s");
    }

    [Fact]
    public void A_file_that_is_not_x86_64_elf_is_refused()
    {
        var text = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, "not an ELF file at all");
            Assert.Throws<NotSupportedException>(() => LibrarySummary.Compute(text));
        }
        finally
        {
            File.Delete(text);
        }
    }

    [Fact]
    public void Summaries_are_cached_on_disk_by_content_and_a_bad_file_is_recomputed()
    {
        var cache = Directory.CreateTempSubdirectory("portcullis-cache-").FullName;
        try
        {
            var library = Path.Combine(Runtime, "libSystem.Net.Security.Native.so");
            Assert.Same(LibrarySummaries.Of(library), LibrarySummaries.Of(library));
            var first = LibrarySummaries.FromDisk(library, cache);
            var file = Path.Combine(cache, "native", first.Sha256 + ".json");
            Assert.True(File.Exists(file));
            Assert.Equal(Json(first), Json(LibrarySummaries.FromDisk(library, cache)));

            // A valid file is believed, which shows it is read rather than recomputed.
            var text = File.ReadAllText(file);
            var entry = JsonSerializer.Deserialize(text, NativeJsonContext.Default.NativeCacheFile)!;
            var marked = entry with { Summary = entry.Summary with { Opened = ["libmarker.so.1"] } };
            File.WriteAllText(file, JsonSerializer.Serialize(marked, NativeJsonContext.Default.NativeCacheFile));
            Assert.Contains("libmarker.so.1", LibrarySummaries.FromDisk(library, cache).Opened);

            File.WriteAllText(file, text[..(text.Length / 2)]);
            Assert.Equal(Json(first), Json(LibrarySummaries.FromDisk(library, cache)));
            Assert.Equal(text, File.ReadAllText(file));

            File.WriteAllText(file, text.Replace($"\"version\": {LibrarySummaries.FormatVersion}", "\"version\": 0", StringComparison.Ordinal));
            Assert.Equal(Json(first), Json(LibrarySummaries.FromDisk(library, cache)));
            Assert.Equal(text, File.ReadAllText(file));
            Assert.Empty(Directory.GetFiles(Path.Combine(cache, "native"), "*.tmp"));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void The_cache_directory_follows_portcullis_cache_then_xdg_then_home()
    {
        Dictionary<string, string?> env = new() { ["XDG_CACHE_HOME"] = "/tmp/xdg-test" };
        Assert.Equal("/tmp/xdg-test/portcullis", LibrarySummaries.CacheDirectory(env.GetValueOrDefault));
        env["PORTCULLIS_CACHE"] = "/tmp/pc-test";
        Assert.Equal("/tmp/pc-test", LibrarySummaries.CacheDirectory(env.GetValueOrDefault));
        Assert.Equal("/tmp/pc-test/native/ab.json", LibrarySummaries.CacheFile("ab", LibrarySummaries.CacheDirectory(env.GetValueOrDefault)));
        Assert.EndsWith("/.cache/portcullis", LibrarySummaries.CacheDirectory(_ => null), StringComparison.Ordinal);
    }

    private static string Json(LibrarySummary summary) => JsonSerializer.Serialize(summary, NativeJsonContext.Default.LibrarySummary);
}
