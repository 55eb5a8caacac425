using Portcullis.Analyzer.Knowledge;
using Portcullis.Analyzer.Model;

namespace Portcullis.Analyzer.Tests;

/// <summary>Native libraries an app ships: their libc imports, read from the ELF file, become predicted syscalls.</summary>
public sealed class NativeLibraryTests
{
    private static readonly string[] SqliteCalls = ["fsync", "pwrite64", "fcntl"];
    private static readonly string[] WatchCalls = ["inotify_init1", "inotify_add_watch", "fsync"];

    [Fact]
    public void A_shipped_native_library_that_calls_libc_adds_those_syscalls()
    {
        GccLibrary.With("libwatch.so", """
            #include <sys/inotify.h>
            #include <sys/mman.h>
            #include <unistd.h>
            int watch_dir(const char *path) { int fd = inotify_init1(0); int w = inotify_add_watch(fd, path, IN_CREATE); fsync(fd); return w; }
            int pin(void) { return mlockall(MCL_CURRENT); }
            """, library =>
        {
            var dir = Path.GetDirectoryName(library)!;
            foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "Portcullis.Analyzer.Cases.*"))
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));

            var prediction = AppAnalyzer.Analyze(dir);
            var predicted = prediction.Syscalls.ToDictionary(s => s.Name);
            Assert.Contains("libwatch.so", prediction.NativeLibraries);
            foreach (var name in WatchCalls)
                Assert.Contains(predicted[name].Evidence, e => e.Group == "native" && e.Api == "libwatch.so!" + name);
            // A libc function the table does not know is said, not silently dropped.
            Assert.Contains(prediction.Diagnostics, d => d.Code == "PCL5016" && d.Message.Contains("mlockall", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void A_call_through_a_pointer_reaches_what_the_library_keeps_in_data_tables()
    {
        // SQLite's shape: the export calls through a method table it reads from memory; the table's function is the
        // only code that makes fsync. Missing it was a profile that kills the app at its first commit.
        GccLibrary.With("libstore.so", """
            #include <unistd.h>
            struct io_methods { int (*sync)(int); };
            static int unix_sync(int fd) { return fsync(fd); }
            static const struct io_methods unix_methods = { unix_sync };
            const struct io_methods *volatile current_methods = &unix_methods;
            int store_commit(int fd) { return current_methods->sync(fd); }
            """, library =>
        {
            var made = new Passes.NativeSide([]).Of(library, "store_commit");
            Assert.Contains(made, m => m.Syscall == "fsync" && m.Native.Contains("a function in a data table", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Sqlite_s_own_native_library_is_read()
    {
        var sqlite = Directory.GetFiles(AppContext.BaseDirectory, "libe_sqlite3.so", SearchOption.AllDirectories).FirstOrDefault(f => f.Contains("linux-x64", StringComparison.Ordinal));
        Assert.NotNull(sqlite);
        var imports = Native.NativeImports.Of(sqlite);
        Assert.Contains("fsync", imports);
        Assert.Contains("pwrite64", imports);
        Assert.All(SqliteCalls, f => Assert.NotNull(LibcSyscalls.For(f)));
    }

    [Fact]
    public void Prediction_json_round_trips_and_refuses_other_versions()
    {
        var prediction = new Prediction { Application = "App", Runtime = "10.0.0", Syscalls = [new PredictedSyscall("listen", [new Evidence("App.Program::Main", "X::Run", "framework", 4, "Program.cs:3") { Path = ["X::Run", "Interop/Sys::Listen"], Native = "libSystem.Native.so!SystemNative_Listen → listen" }], 1)], ReachedLibraries = ["libSystem.Native.so"], HostsWebServer = true, SocketFamilies = [1, 2] };
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, PredictionJson.Write(prediction));
            var back = PredictionJson.Read(path);
            Assert.Equal(prediction.Syscalls[0].Evidence[0].ToString(), back.Syscalls[0].Evidence[0].ToString());
            Assert.Equal("App.Program::Main (Program.cs:3) → X::Run → Interop/Sys::Listen → libSystem.Native.so!SystemNative_Listen → listen", back.Syscalls[0].Evidence[0].ToString());
            Assert.True(back.HostsWebServer);
            Assert.Equal([1, 2], back.SocketFamilies);
            File.WriteAllText(path, File.ReadAllText(path).Replace($"\"version\": {PredictionJson.FormatVersion}", "\"version\": 9", StringComparison.Ordinal));
            Assert.Contains("version 9", Assert.Throws<InvalidDataException>(() => PredictionJson.Read(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
