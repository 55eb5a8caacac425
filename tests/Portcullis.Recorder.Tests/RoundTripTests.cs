using System.Text.Json.Nodes;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Seccomp;
using Portcullis.Recorder.Enforcing;
using Portcullis.Profiles.Generation;
using static Portcullis.Recorder.Tests.Targets;

namespace Portcullis.Recorder.Tests;

/// <summary>Record a program, generate its profile, and run the same program under that profile: with Portcullis, runc and crun.</summary>
[Collection(RecorderCollection.Name)]
public sealed class RoundTripTests
{
    private static readonly string[] Command = ["/bin/sh", "-c", "uname -a > /dev/null && echo ok"];

    private static async Task<SeccompProfile> RecordProfile(BackendChoice backend)
    {
        var r = await Record(backend, Command[0], Command[1..]);
        Assert.Equal(0, r.ExitCode);
        return SeccompGenerator.Generate(new GenerationRequest { Recordings = [new LabeledRecording("test", r.Recording)] }, new DiagnosticBag()).Profile;
    }

    private static string Json(SeccompProfile p) => System.Text.Encoding.UTF8.GetString(DocJsonWriter.Write(SeccompWriter.ToDoc(p)));

    private static SeccompProfile Without(SeccompProfile p, string name) =>
        p with { Syscalls = p.Syscalls.Select(r => r with { Names = Profiles.Collections.ValueList.ToValueList(r.Names.Where(n => n != name)) }).ToList().ToValueListOf() };

    [Theory]
    [InlineData(BackendChoice.Ptrace)]
    [InlineData(BackendChoice.Ebpf)]
    public async Task The_generated_profile_runs_the_program_and_removing_a_syscall_breaks_it(BackendChoice backend)
    {
        var profile = await RecordProfile(backend);
        Assert.Contains("uname", profile.Syscalls.SelectMany(r => r.Names));

        var request = Request(BackendChoice.Ptrace, Command[0], Command[1..]);
        Assert.Equal(0, await Enforcer.RunAsync(request, Json(profile), TestContext.Current.CancellationToken));
        Assert.NotEqual(0, await Enforcer.RunAsync(request, Json(Without(profile, "uname")), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Complain_mode_names_the_missing_syscall_and_lets_the_program_finish()
    {
        var profile = Without(await RecordProfile(BackendChoice.Ptrace), "uname");
        var result = await Enforcer.ComplainAsync(Request(BackendChoice.Ptrace, Command[0], Command[1..]), Json(profile), TestContext.Current.CancellationToken);
        Assert.Equal(0, result.ExitCode);
        var denial = Assert.Single(result.Denials);
        Assert.Equal(("uname", SeccompAction.Errno, 1L), (denial.Name, denial.Action, denial.Count));
    }

    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task The_generated_profile_runs_the_program_in_a_real_container(string runtime)
    {
        var profile = await RecordProfile(BackendChoice.Ptrace);
        using (var bundle = ImageBundle.FromHost(Command).WithSeccomp(JsonNode.Parse(Json(profile))))
        {
            var (code, output) = bundle.Run(runtime, TimeSpan.FromMinutes(1));
            Assert.True(code == 0, $"{runtime} exit {code}: {output}");
            Assert.Contains("ok", output, StringComparison.Ordinal);
        }

        using var broken = ImageBundle.FromHost(Command).WithSeccomp(JsonNode.Parse(Json(Without(profile, "uname"))));
        var (brokenCode, brokenOutput) = broken.Run(runtime, TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, brokenCode);
        Assert.DoesNotContain("ok", brokenOutput, StringComparison.Ordinal);
    }
}

internal static class ValueListExtensions
{
    public static Profiles.Collections.ValueList<T> ToValueListOf<T>(this IEnumerable<T> items) => Profiles.Collections.ValueList.ToValueList(items);
}
