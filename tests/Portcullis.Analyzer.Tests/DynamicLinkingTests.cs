using System.Collections.Concurrent;
using Portcullis.Analyzer.Native;
using Xunit;

namespace Portcullis.Analyzer.Tests;

/// <summary>
/// Calls through pointers a library fills with dlsym, named statically and followed into the libraries it opens:
/// the runtime's OpenSSL, ICU and GSSAPI shims, and a gcc-built library with each shape of lookup.
/// </summary>
public sealed class DynamicLinkingTests
{
    private static readonly string[] ServerSocketCalls = ["listen", "accept", "accept4", "bind", "connect"];

    private static readonly string Runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static readonly string OpenSslShim = Path.Combine(Runtime, "libSystem.Security.Cryptography.Native.OpenSsl.so");

    // Computed here rather than through the disk cache, so that no test depends on another's PORTCULLIS_CACHE.
    private static readonly ConcurrentDictionary<string, Lazy<LibrarySummary>> Summaries = new(StringComparer.Ordinal);

    private static readonly Lazy<LibrarySummary> OpenSsl = new(() => Summary(OpenSslShim));

    private static readonly Lazy<DynamicLinking> OpenSslLinking = new(() => new DynamicLinking(OpenSsl.Value.Opened, Summary));

    private static LibrarySummary Summary(string path) => Summaries.GetOrAdd(path, p => new Lazy<LibrarySummary>(() => LibrarySummary.Compute(p))).Value;

    [Fact]
    public void The_openssl_shim_s_dlsym_slots_are_named_with_every_name_it_tries()
    {
        var slots = ElfCode.Load(OpenSslShim).DlsymSlots;
        Assert.True(slots.Count > 300, $"{slots.Count} dlsym slots");
        Assert.Contains(slots.Values, names => names.SequenceEqual(["EVP_DigestUpdate"]));
        // RENAMED_FUNCTION: the 3.0 name, else the 1.x one; both are kept for the slot.
        Assert.Contains(slots.Values, names => names.SequenceEqual(["EVP_MD_CTX_free", "EVP_MD_CTX_destroy"]) || names.SequenceEqual(["EVP_MD_CTX_destroy", "EVP_MD_CTX_free"]));
        // Only calls through pointers that come from the caller (managed callbacks) stay unresolved.
        var unresolved = OpenSsl.Value.Exports.Values.Count(e => e.UnresolvedIndirect);
        Assert.InRange(unresolved, 1, 10);
        // CheckKey calls the check it is handed; its callers hand it a dlsym'd EVP_PKEY_*check
        Assert.False(OpenSsl.Value.Exports["CryptoNative_DecodeSubjectPublicKeyInfo"].UnresolvedIndirect);
        Assert.False(OpenSsl.Value.Exports["CryptoNative_DecodePkcs8PrivateKey"].UnresolvedIndirect);
    }

    [Fact]
    public void A_hashing_export_reaches_libcrypto_and_no_socket_calls()
    {
        var export = OpenSsl.Value.Exports["CryptoNative_EvpDigestOneShot"];
        Assert.False(export.UnresolvedIndirect);
        Assert.Contains("EVP_DigestUpdate", export.DynamicImports.Keys);

        var reach = OpenSslLinking.Value.Resolve(OpenSsl.Value, "CryptoNative_EvpDigestOneShot");
        Assert.Contains(reach.LibcFunctions.Values, chain => chain[1].EndsWith(" (libcrypto.so.3)", StringComparison.Ordinal));
        Assert.Contains("malloc", reach.LibcFunctions.Keys);
        Assert.DoesNotContain(reach.LibcFunctions.Keys, ServerSocketCalls.Contains);
        // EVP dispatches through the digest's method table, which stays unresolved: the caller falls back there.
        Assert.True(reach.Unresolved);
        Assert.Contains("libcrypto.so.3!EVP_DigestUpdate", reach.UnresolvedIn.Keys);
    }

    [Fact]
    public void Initialising_openssl_reaches_read_through_libcrypto()
    {
        var reach = OpenSslLinking.Value.Resolve(OpenSsl.Value, "CryptoNative_EnsureOpenSslInitialized");
        var chain = reach.LibcFunctions["read"];
        Assert.Equal("CryptoNative_EnsureOpenSslInitialized", chain[0]);
        Assert.Contains("RAND_poll (libcrypto.so.3)", chain);
        Assert.Equal("read", chain[^1]);
    }

    [Fact]
    public void An_ssl_export_goes_through_libssl_into_libcrypto_and_its_socket_io_stays_behind_method_tables()
    {
        Assert.Contains("SSL_write", OpenSsl.Value.Exports["CryptoNative_SslWrite"].DynamicImports.Keys);
        var reach = OpenSslLinking.Value.Resolve(OpenSsl.Value, "CryptoNative_SslWrite");
        Assert.Contains(reach.LibcFunctions.Values, c => c.Contains("SSL_write (libssl.so.3)") && c.Any(f => f.EndsWith("(libcrypto.so.3)", StringComparison.Ordinal)));
        // SSL_write reaches the socket BIO's write only through SSL_METHOD and BIO_METHOD pointers (objdump: ssl_write_internal
        // calls s->method->ssl_write): statically that is an unresolved call in libssl, so write is not claimed, and the
        // flag sends the caller to what the functions in the libraries' data tables reach, which has the socket BIO's write.
        Assert.True(reach.Unresolved);
        Assert.Contains("libssl.so.3!SSL_write", reach.UnresolvedIn.Keys);
        Assert.DoesNotContain("write", reach.LibcFunctions.Keys);
        Assert.DoesNotContain(reach.LibcFunctions.Keys, ServerSocketCalls.Contains);
        var tables = OpenSslLinking.Value.PointerTargets();
        Assert.Contains("write", tables.LibcFunctions.Keys);
        Assert.Contains(tables.LibcFunctions["write"], f => f.Contains("(a function in a data table)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_call_through_a_pointer_reaches_the_functions_kept_in_data_and_not_the_ones_nothing_points_to()
    {
        GccLibrary.With("libtables.so", """
                #include <sys/stat.h>
                #include <unistd.h>
                struct ops { int (*op)(int); };
                static int in_table(int fd) { return fchmod(fd, 0600); }
                const struct ops probe_table = { in_table };
                __attribute__((visibility("hidden"), noinline)) int pointed_at_by_nothing(int fd) { return fdatasync(fd); }
                int probe_call(const struct ops *o, int fd) { return o->op(fd); }
                """, library =>
        {
            Assert.Contains("fdatasync", NativeImports.Of(library));

            var summary = LibrarySummary.Compute(library);
            Assert.True(summary.Exports["probe_call"].UnresolvedIndirect);
            var targets = new DynamicLinking([library], LibrarySummary.Compute).PointerTargets();
            Assert.Equal(["libtables.so (a function in a data table)", "in_table", "fchmod"], targets.LibcFunctions["fchmod"]);
            // what no pointer in data and no reachable code names is not something a pointer call can land on
            Assert.DoesNotContain("fdatasync", targets.LibcFunctions.Keys);
        });
    }

    [Fact]
    public void The_globalization_shim_reaches_icu_through_names_printed_with_the_version()
    {
        var shim = Summary(Path.Combine(Runtime, "libSystem.Globalization.Native.so"));
        var export = shim.Exports["GlobalizationNative_GetLocaleName"];
        Assert.Contains(export.DynamicImports.Keys, k => k.StartsWith("uloc_", StringComparison.Ordinal) && k.EndsWith('*'));
        Assert.False(export.UnresolvedIndirect);

        var reach = new DynamicLinking(shim.Opened, Summary).Resolve(shim, "GlobalizationNative_GetLocaleName");
        Assert.Contains(reach.LibcFunctions.Values, chain => chain.Any(f => f.StartsWith("uloc_", StringComparison.Ordinal) && f.Contains("(libicuuc.so", StringComparison.Ordinal)));
        Assert.DoesNotContain(reach.LibcFunctions.Keys, ServerSocketCalls.Contains);
    }

    [Fact]
    public void The_gssapi_shim_calls_only_what_it_looked_up()
    {
        var path = Path.Combine(Runtime, "libSystem.Net.Security.Native.so");
        Assert.True(ElfCode.Load(path).DlsymSlots.Count >= 20);
        var shim = Summary(path);
        Assert.All(shim.Exports.Values, e => Assert.False(e.UnresolvedIndirect, e.Export));
        Assert.Contains("gss_init_sec_context", shim.Exports["NetSecurityNative_InitSecContext"].DynamicImports.Keys);
    }

    [Fact]
    public void A_gcc_built_loader_s_lookups_fallbacks_printed_names_and_wrappers_are_followed_into_the_opened_library()
    {
        GccLibrary.With([("libtarget.so", """
            #include <unistd.h>
            int direct_fn(int fd) { return (int)write(fd, "x", 1); }
            int renamed_fn_3(int fd) { return fsync(fd); }
            int printed_fn_7(int fd) { return fdatasync(fd); }
            int wrapped_fn(int fd) { return close(fd); }
            """), ("libloader.so", """
            #include <dlfcn.h>
            #include <stdio.h>
            #include <unistd.h>
            typedef int (*fn_t)(int);
            static fn_t direct_ptr, renamed_ptr, fallback_ptr, printed_ptr, wrapped_ptr, hooked_ptr;
            static void *lib;
            __attribute__((noinline)) static int local_fallback(int fd) { return fchmod(fd, 0600); }
            __attribute__((noinline, noclone)) void *probe_lookup(void *handle, const char *name) { return dlsym(handle, name); }
            void probe_load(const char *version) {
                char name[64];
                lib = dlopen("libtarget.so", RTLD_NOW);
                direct_ptr = (fn_t)dlsym(lib, "direct_fn");
                if (!(renamed_ptr = (fn_t)dlsym(lib, "renamed_fn")))
                    renamed_ptr = (fn_t)dlsym(lib, "renamed_fn_3");
                if (!(fallback_ptr = (fn_t)dlsym(lib, "fallback_fn")))
                    fallback_ptr = local_fallback;
                snprintf(name, sizeof name, "printed_fn%s", version);
                printed_ptr = (fn_t)dlsym(lib, name);
                wrapped_ptr = (fn_t)probe_lookup(lib, "wrapped_fn");
                hooked_ptr = (fn_t)dlsym(lib, "hooked_fn");
            }
            void probe_hook(fn_t f) { hooked_ptr = f; }
            int probe_hooked(int fd) { return hooked_ptr(fd) + 1; }
            int probe_direct(int fd) { return direct_ptr(fd) + 1; }
            int probe_tail(int fd) { return direct_ptr(fd + 1); }
            int probe_renamed(int fd) { return renamed_ptr(fd) + 1; }
            int probe_fallback(int fd) { return fallback_ptr(fd) + 1; }
            int probe_printed(int fd) { return printed_ptr(fd) + 1; }
            int probe_wrapped(int fd) { return wrapped_ptr(fd) + 1; }
            int probe_indirect(fn_t f) { return f(2) + 1; }
            """)], paths =>
        {
            var (target, loader) = (paths[0], paths[1]);
            var slots = ElfCode.Load(loader).DlsymSlots.Values.Select(n => string.Join(",", n)).Order(StringComparer.Ordinal);
            Assert.Equal(["direct_fn", "fallback_fn", "hooked_fn", "printed_fn*", "renamed_fn,renamed_fn_3", "wrapped_fn"], slots);

            var summary = LibrarySummary.Compute(loader);
            var exports = summary.Exports;
            Assert.Equal(["direct_fn"], exports["probe_direct"].DynamicImports.Keys);
            Assert.Equal(["direct_fn"], exports["probe_tail"].DynamicImports.Keys);
            Assert.Equal(["renamed_fn", "renamed_fn_3"], exports["probe_renamed"].DynamicImports.Keys);
            Assert.Equal(["probe_printed"], exports["probe_printed"].DynamicImports["printed_fn*"]);
            Assert.Equal(["wrapped_fn"], exports["probe_wrapped"].DynamicImports.Keys);
            // The lookup's fallback is the library's own function, and is followed.
            Assert.Contains("fchmod", exports["probe_fallback"].Imports.Keys);
            Assert.All(exports.Values.Where(e => e.Export is not ("probe_indirect" or "probe_hooked")), e => Assert.False(e.UnresolvedIndirect, e.Export));
            Assert.True(exports["probe_indirect"].UnresolvedIndirect);
            // A slot the program also sets to a pointer it was given can hold anything: named, and still unresolved.
            Assert.Equal(["hooked_fn"], exports["probe_hooked"].DynamicImports.Keys);
            Assert.True(exports["probe_hooked"].UnresolvedIndirect);

            var linking = new DynamicLinking([target], LibrarySummary.Compute);
            Assert.Equal(["probe_direct", "direct_fn (libtarget.so)", "write"], linking.Resolve(summary, "probe_direct").LibcFunctions["write"]);
            Assert.Equal(["probe_printed", "printed_fn_7 (libtarget.so)", "fdatasync"], linking.Resolve(summary, "probe_printed").LibcFunctions["fdatasync"]);
            var renamed = linking.Resolve(summary, "probe_renamed");
            Assert.Equal(["fsync"], renamed.LibcFunctions.Keys);
            Assert.Equal(["renamed_fn"], renamed.NotFound);
            Assert.False(renamed.Unresolved);
            Assert.Contains("close", linking.Resolve(summary, "probe_wrapped").LibcFunctions.Keys);
            Assert.True(linking.Resolve(summary, "probe_indirect").Unresolved);
        });
    }

    [Fact]
    public void An_opened_library_calling_back_through_a_table_the_loader_hands_it_reaches_the_loader_s_own_functions()
    {
        // The loader registers a static callback table with a function it looked up; the opened library calls through
        // it. Only the loader's table function makes fsync.
        GccLibrary.With([("libbar.so", """
            struct cbs { int (*commit)(int); };
            int bar_register(const struct cbs *c, int fd) { return c->commit(fd); }
            """), ("libshim.so", """
            #include <dlfcn.h>
            #include <unistd.h>
            struct cbs { int (*commit)(int); };
            static int on_commit(int fd) { return fsync(fd); }
            static const struct cbs table = { on_commit };
            static int (*register_ptr)(const struct cbs *, int);
            void shim_load(void) { register_ptr = (int (*)(const struct cbs *, int))dlsym(dlopen("libbar.so", RTLD_NOW), "bar_register"); }
            int shim_open(int fd) { return register_ptr(&table, fd); }
            """)], paths =>
        {
            var (target, loader) = (paths[0], paths[1]);
            var summary = LibrarySummary.Compute(loader);
            Assert.False(summary.Exports["shim_open"].UnresolvedIndirect);
            var linking = new DynamicLinking([target], LibrarySummary.Compute);
            Assert.True(linking.Resolve(summary, "shim_open").Unresolved);
            Assert.DoesNotContain("fsync", linking.PointerTargets().LibcFunctions.Keys);
            Assert.Contains("fsync", linking.PointerTargets(summary).LibcFunctions.Keys);
        });
    }

    [Fact]
    public void A_function_calling_the_pointer_it_is_handed_is_resolved_by_what_its_callers_pass()
    {
        GccLibrary.With("libhanded.so", """
                #include <dlfcn.h>
                #include <unistd.h>
                typedef int (*fn_t)(int);
                static fn_t looked;
                __attribute__((noinline, noclone)) static int apply(fn_t f, int fd) { return f(fd) + 1; }
                __attribute__((noinline, noclone)) static int relay(int fd, fn_t f) { return apply(f, fd) * 2; }
                __attribute__((noinline, noclone)) static int local_cb(int fd) { return fsync(fd); }
                void probe_load(void) { looked = (fn_t)dlsym(dlopen("libtarget.so", RTLD_NOW), "looked_fn"); }
                int probe_passes_looked_up(int fd) { return relay(fd, looked); }
                int probe_passes_local(int fd) { return apply(local_cb, fd); }
                int probe_passes_given(fn_t f, int fd) { return relay(fd, f); }
                """, library =>
        {

            var exports = LibrarySummary.Compute(library).Exports;
            // the dlsym'd pointer, passed down two calls, is the slot's function; the local callback is followed
            Assert.False(exports["probe_passes_looked_up"].UnresolvedIndirect);
            Assert.Contains("looked_fn", exports["probe_passes_looked_up"].DynamicImports.Keys);
            Assert.False(exports["probe_passes_local"].UnresolvedIndirect);
            Assert.Contains("fsync", exports["probe_passes_local"].Imports.Keys);
            // a pointer from the export's own caller can be anything
            Assert.True(exports["probe_passes_given"].UnresolvedIndirect);
        });
    }
}
