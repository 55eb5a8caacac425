using FsCheck;
using FsCheck.Fluent;
using Portcullis.Profiles.Collections;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.Seccomp;

public sealed class CanonicalFormTests
{
    [Fact]
    public void Groups_rules_by_action_and_conditions_with_sorted_names()
    {
        var p = Load.Seccomp("""
            {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
             "syscalls": [
               {"names": ["write"], "action": "SCMP_ACT_ALLOW"},
               {"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
               {"names": ["read", "close"], "action": "SCMP_ACT_ALLOW"},
               {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]},
               {"names": ["read"], "action": "SCMP_ACT_ALLOW"}
             ]}
            """);
        var c = SeccompCanonicalizer.Normalize(p);
        Assert.Equal([SeccompArch.X86_64, SeccompArch.X86], c.Architectures);
        Assert.Equal(3, c.Syscalls.Count);
        Assert.Equal(["close", "read", "write"], c.Syscalls[0].Names);
        Assert.Equal(["personality"], c.Syscalls[1].Names);
        Assert.Equal(SeccompAction.Errno, c.Syscalls[2].Action);
    }

    [Fact]
    public void Is_idempotent_on_the_real_profiles()
    {
        foreach (var file in new[] { "seccomp/docker-default.json", "seccomp/containers-common.json" })
        {
            var once = SeccompCanonicalizer.Normalize(Load.OneSeccomp(Repo.Data(file)));
            Assert.Equal(Load.Json(once), Load.Json(SeccompCanonicalizer.Normalize(once)));
        }
    }

    [Fact]
    public void Equal_rule_sets_in_any_order_render_byte_equal()
    {
        var names = new[] { "read", "write", "openat", "close", "mmap", "futex", "clone3", "exit_group" };
        var actions = new[] { SeccompAction.Allow, SeccompAction.Errno, SeccompAction.Log };
        var gen =
            from picks in Gen.ListOf(Gen.Zip(Gen.Elements(names), Gen.Elements(actions)))
            from seed in Gen.Choose(0, 1000)
            select (picks, seed);

        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var rules = t.picks.Select(p => new SeccompRule { Names = [p.Item1], Action = p.Item2 }).ToList();
            // One generator for the whole list: a new Random(seed) per element returns the same key for each, and never shuffles.
            var random = new Random(t.seed);
            var shuffled = rules.OrderBy(_ => random.Next()).ToList();
            var a = new SeccompProfile { DefaultAction = SeccompAction.Errno, Syscalls = rules.ToValueList() };
            var b = new SeccompProfile { DefaultAction = SeccompAction.Errno, Syscalls = shuffled.ToValueList() };
            return Load.Json(SeccompCanonicalizer.Normalize(a)) == Load.Json(SeccompCanonicalizer.Normalize(b));
        }).QuickCheckThrowOnFailure();
    }
}
