using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Seccomp;

public sealed class SeccompReaderTests
{
    private const string Full = """
        {
          "defaultAction": "SCMP_ACT_ERRNO",
          "defaultErrnoRet": 38,
          "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
          "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
          "listenerPath": "/run/agent.sock",
          "listenerMetadata": "opaque",
          "syscalls": [
            { "names": ["read", "write"], "action": "SCMP_ACT_ALLOW" },
            { "names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 131072, "valueTwo": 0, "op": "SCMP_CMP_EQ" } ], "comment": "PER_LINUX|ADDR_NO_RANDOMIZE" },
            { "names": ["clone"], "action": "SCMP_ACT_ALLOW", "args": [ { "index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ" } ] },
            { "names": ["mkdir"], "action": "SCMP_ACT_NOTIFY" },
            { "names": ["ptrace"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 },
            { "names": ["kill"], "action": "SCMP_ACT_TRACE", "errnoRet": 5 }
          ],
          "x-vendor": { "keep": [1, true, null] }
        }
        """;

    [Fact]
    public void Reads_every_field_of_the_runtime_spec()
    {
        var p = Load.Seccomp(Full);
        Assert.Equal(SeccompAction.Errno, p.DefaultAction);
        Assert.Equal(38u, p.DefaultErrnoRet);
        Assert.Equal([SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32], p.Architectures);
        Assert.Equal([SeccompFlag.Log, SeccompFlag.SpecAllow], p.Flags);
        Assert.Equal("/run/agent.sock", p.ListenerPath);
        Assert.Equal("opaque", p.ListenerMetadata);
        Assert.Equal(6, p.Syscalls.Count);
        Assert.Equal(new SeccompArgCondition(0, 2114060288, 0, SeccompOperator.MaskedEqual), p.Syscalls[2].Args[0]);
        Assert.Equal("PER_LINUX|ADDR_NO_RANDOMIZE", p.Syscalls[1].Comment);
        Assert.Equal(5u, p.Syscalls[5].ErrnoRet);
        Assert.Equal("x-vendor", Assert.Single(p.Extra).Key);
        Assert.Equal((10, 5), (p.Syscalls[1].Origin.Line, p.Syscalls[1].Origin.Column));
    }

    [Fact]
    public void Round_trips_without_loss()
    {
        var p = Load.Seccomp(Full);
        var again = Load.Seccomp(Load.Json(p), "again.json");
        Assert.Equal(p, again);
        Assert.Contains("\"x-vendor\"", Load.Json(again), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_action_architecture_operator_and_flag_round_trips()
    {
        foreach (var action in Enum.GetValues<SeccompAction>())
        {
            var p = new SeccompProfile { DefaultAction = action, Syscalls = [new SeccompRule { Names = ["read"], Action = action }] };
            Assert.Equal(p, Load.Seccomp(Load.Json(p)));
        }
        var all = new SeccompProfile
        {
            DefaultAction = SeccompAction.KillProcess,
            Architectures = [.. Enum.GetValues<SeccompArch>()],
            Flags = [.. Enum.GetValues<SeccompFlag>()],
            Syscalls = [new SeccompRule
            {
                Names = ["read"],
                Action = SeccompAction.Allow,
                Args = [.. Enum.GetValues<SeccompOperator>().Select((op, i) => new SeccompArgCondition((uint)i % 6, ulong.MaxValue - (ulong)i, (ulong)i, op))],
            }],
        };
        Assert.Equal(all, Load.Seccomp(Load.Json(all)));
    }

    [Theory]
    [InlineData("{}", DiagnosticId.MissingField, "defaultAction")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ALOW\"}", DiagnosticId.UnknownValue, "defaultAction")]
    [InlineData("{\"defaultAction\": 3}", DiagnosticId.WrongType, "defaultAction")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": {}}", DiagnosticId.WrongType, "syscalls")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"]}]}", DiagnosticId.MissingField, "syscalls[0].action")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [1], \"action\": \"SCMP_ACT_ALLOW\"}]}", DiagnosticId.WrongType, "syscalls[0].names[0]")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}", DiagnosticId.NumberOutOfRange, "defaultErrnoRet")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4294967296}", DiagnosticId.NumberOutOfRange, "defaultErrnoRet")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_65\"]}", DiagnosticId.UnknownValue, "architectures[0]")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"flags\": [\"SECCOMP_FILTER_FLAG_NOPE\"]}", DiagnosticId.UnknownValue, "flags[0]")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 1.5, \"op\": \"SCMP_CMP_EQ\"}]}]}", DiagnosticId.NumberOutOfRange, "syscalls[0].args[0].value")]
    [InlineData("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQUAL\"}]}]}", DiagnosticId.UnknownValue, "syscalls[0].args[0].op")]
    public void Bad_fields_are_named(string json, DiagnosticId id, string field)
    {
        var e = Load.Fails(() => Load.Seccomp(json));
        Assert.Equal(id, e.Diagnostic.Id);
        Assert.Equal(field, e.Diagnostic.Field);
        Assert.Equal("test.json", e.Diagnostic.Origin.File);
    }

    [Fact]
    public void An_unknown_enum_value_suggests_the_nearest()
    {
        var e = Load.Fails(() => Load.Seccomp("{\"defaultAction\": \"SCMP_ACT_ALOW\"}"));
        Assert.Contains("did you mean 'SCMP_ACT_ALLOW'", e.Diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_fields_are_warned_once_per_name_and_kept()
    {
        var bag = new DiagnosticBag();
        var doc = Load.Text("""{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["a"], "action": "SCMP_ACT_ALLOW", "x": 1}, {"names": ["b"], "action": "SCMP_ACT_ALLOW", "x": 2}]}""", "u.json", bag);
        var warning = Assert.Single(bag.Items);
        Assert.Equal(DiagnosticId.UnknownField, warning.Id);
        Assert.Contains("'syscalls[].x' (2 times", warning.Message, StringComparison.Ordinal);
        Assert.Contains("\"x\": 2", Load.Json(((Loading.SeccompDocument)doc[0]).Profile), StringComparison.Ordinal);
    }
}
