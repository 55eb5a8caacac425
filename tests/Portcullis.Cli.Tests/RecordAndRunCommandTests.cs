using Portcullis.Profiles.Generation;
using Portcullis.Cli.Commands;
using Portcullis.Recorder.Launching;

namespace Portcullis.Cli.Tests;

/// <summary>record and run through the command line, on the real kernel (ptrace, libseccomp).</summary>
[Collection(LauncherCollection.Name)]
public sealed class RecordAndRunCommandTests
{
    public RecordAndRunCommandTests() =>
        TargetCommand.LauncherOverride = LauncherCommand.ForAssembly(Path.Combine(AppContext.BaseDirectory, "portcullis.dll"));

    [Fact]
    public void Record_writes_the_recording_and_both_profiles_and_exits_with_the_command()
    {
        using var dir = new TempDir();
        var recording = dir.File("recording.json");
        var seccomp = dir.File("seccomp.json");
        var apparmor = dir.File("app.profile");
        var run = CliRun.Of("record", "--backend", "ptrace", "-o", recording, "--seccomp", seccomp, "--apparmor", apparmor, "--", "/bin/sh", "-c", "uname > /dev/null; exit 4");
        Assert.Equal(4, run.ExitCode);
        Assert.Matches(@"recorded \d+ distinct syscalls \(\d+ calls\), \d+ files, \d+ programs with ptrace in [\d.]+s; exit code 4", run.Err);
        Assert.Contains("\"uname\"", File.ReadAllText(recording), StringComparison.Ordinal);
        Assert.Equal(0, CliRun.Of("validate", "-q", seccomp).ExitCode);
        Assert.Contains("profile portcullis-sh {", File.ReadAllText(apparmor), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_enforces_the_profile_and_complain_names_what_it_would_deny()
    {
        using var dir = new TempDir();
        var seccomp = dir.File("seccomp.json");
        string[] command = ["--", "/bin/sh", "-c", "uname > /dev/null && echo ok"];
        Assert.Equal(0, CliRun.Of(["record", "--backend", "ptrace", "-o", dir.File("r.json"), "--seccomp", seccomp, .. command]).ExitCode);
        Assert.Equal(0, CliRun.Of(["run", "--profile", seccomp, .. command]).ExitCode);

        var without = dir.File("without-uname.json", File.ReadAllText(seccomp).Replace("        \"uname\",\n", "", StringComparison.Ordinal));
        Assert.NotEqual(0, CliRun.Of(["run", "--profile", without, .. command]).ExitCode);
        var complain = CliRun.Of(["run", "--complain", "--profile", without, .. command]);
        Assert.Equal(0, complain.ExitCode);
        Assert.Equal("complain: would deny uname (SCMP_ARCH_X86_64, SCMP_ACT_ERRNO) x1", Assert.Single(complain.ErrLines));
    }

    [Fact]
    public void A_generated_profile_lets_a_process_fork_but_not_clone_into_a_new_user_namespace()
    {
        Requires.Root(); // as root the clone into a new user namespace succeeds unconfined, so only the filter can refuse it
        using var dir = new TempDir();
        var seccomp = dir.File("seccomp.json");
        // raw clone(flags): the child exits 0 at once; the parent exits 0 when it made a child, 3 when clone failed
        const string script = "my $r = syscall(56, $ARGV[0] + 0, 0, 0, 0, 0); exit 0 if $r == 0; waitpid($r, 0) if $r > 0; exit($r < 0 ? 3 : 0);";
        string[] Clone(long flags) => ["--", "/usr/bin/perl", "-e", script, flags.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        const long sigchld = 17, newUser = 0x10000000;
        Assert.Equal(0, CliRun.Of(["record", "--backend", "ptrace", "-o", dir.File("r.json"), "--seccomp", seccomp, .. Clone(newUser | sigchld)]).ExitCode);
        Assert.Contains(SeccompGenerator.CloneComment, File.ReadAllText(seccomp), StringComparison.Ordinal);

        Assert.Equal(0, CliRun.Of(["run", "--profile", seccomp, .. Clone(sigchld)]).ExitCode);
        Assert.Equal(3, CliRun.Of(["run", "--profile", seccomp, .. Clone(newUser | sigchld)]).ExitCode);
        Assert.Equal(0, CliRun.Of(["run", "--profile", dir.File("open.json", """{"defaultAction":"SCMP_ACT_ALLOW"}"""), .. Clone(newUser | sigchld)]).ExitCode);
    }

    [Fact]
    public void A_generated_profile_with_known_socket_families_refuses_a_packet_socket()
    {
        Requires.Root(); // a packet socket needs CAP_NET_RAW: as root it opens unconfined, so only the filter can refuse it
        using var dir = new TempDir();
        // socket(family, type, 0): exit 0 when it opened, 3 when it was refused
        const string script = "use Socket; exit(socket(my $s, $ARGV[0] + 0, $ARGV[1] + 0, 0) ? 0 : 3);";
        const int inet = 2, packet = 17, dgram = 2, raw = 3;
        string[] Open(int family, int type) => ["--", "/usr/bin/perl", "-e", script, family.ToString(System.Globalization.CultureInfo.InvariantCulture), type.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        var unrestricted = dir.File("any.json");
        Assert.Equal(0, CliRun.Of(["record", "--backend", "ptrace", "-o", dir.File("r.json"), "--seccomp", unrestricted, .. Open(packet, raw)]).ExitCode);
        var recording = Portcullis.Profiles.Recordings.RecordingJson.Read(dir.File("r.json"));
        var generated = SeccompGenerator.Generate(new GenerationRequest { Recordings = [new LabeledRecording("perl", recording)], SocketFamilies = [inet] }, new Portcullis.Profiles.Diagnostics.DiagnosticBag());
        var restricted = dir.File("inet.json", ProfileRendering.OciJson(generated.Profile));
        Assert.Contains(SeccompGenerator.SocketComment, File.ReadAllText(restricted), StringComparison.Ordinal);

        Assert.Equal(0, CliRun.Of(["run", "--profile", restricted, .. Open(inet, dgram)]).ExitCode);
        Assert.Equal(3, CliRun.Of(["run", "--profile", restricted, .. Open(packet, raw)]).ExitCode);
        Assert.Equal(0, CliRun.Of(["run", "--profile", unrestricted, .. Open(packet, raw)]).ExitCode);
    }

    [Fact]
    public void A_command_that_cannot_start_exits_127()
    {
        using var dir = new TempDir();
        Assert.Equal(127, CliRun.Of("record", "--backend", "ptrace", "-o", dir.File("r.json"), "--", "/no/such/program").ExitCode);
    }

    [Theory]
    [InlineData("record")]
    [InlineData("run")]
    public void Help_has_an_example(string command) =>
        Assert.Contains("Example:", CliRun.Of(command, "--help").Out, StringComparison.Ordinal);
}
