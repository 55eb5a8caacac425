using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.Profiles.Tests.Support;
using SyscallTableGen;

namespace Portcullis.Profiles.Tests.Syscalls;

public sealed class SyscallTableTests
{
    [Theory]
    [InlineData("read", SeccompArch.X86_64, 0)]
    [InlineData("read", SeccompArch.Aarch64, 63)]
    [InlineData("read", SeccompArch.X86, 3)]
    [InlineData("read", SeccompArch.X32, 0x40000000)]
    [InlineData("read", SeccompArch.Mips, 4003)]
    [InlineData("read", SeccompArch.Mips64, 5000)]
    [InlineData("read", SeccompArch.Mips64N32, 6000)]
    [InlineData("rt_sigreturn", SeccompArch.X32, 0x40000000 | 513)]
    [InlineData("openat", SeccompArch.X86_64, 257)]
    [InlineData("clone3", SeccompArch.Arm, 435)]
    [InlineData("uretprobe", SeccompArch.X86_64, 335)]
    [InlineData("listmount", SeccompArch.Aarch64, 458)]
    public void Numbers_are_the_kernel_view(string name, SeccompArch arch, int number)
    {
        Assert.Equal(number, SyscallTable.Number(name, arch));
        Assert.Equal(name, SyscallTable.Name(number, arch));
    }

    [Theory]
    [InlineData("open", SeccompArch.Aarch64)]
    [InlineData("fork", SeccompArch.Aarch64)]
    [InlineData("stat", SeccompArch.RiscV64)]
    [InlineData("socketcall", SeccompArch.X86_64)]
    [InlineData("arch_prctl", SeccompArch.Arm)]
    public void Names_missing_on_an_architecture_have_no_number(string name, SeccompArch arch)
    {
        Assert.True(SyscallTable.Exists(name));
        Assert.Null(SyscallTable.Number(name, arch));
        Assert.False(SyscallTable.ExistsOn(name, arch));
    }

    [Fact]
    public void A_number_without_a_name_is_kept_as_a_number()
    {
        Assert.Null(SyscallTable.Name(4000, SeccompArch.X86_64));
        Assert.Equal("syscall#4000", SyscallTable.NameOrNumber(4000, SeccompArch.X86_64));
        Assert.Equal("uname", SyscallTable.NameOrNumber(63, SeccompArch.X86_64));
    }

    [Fact]
    public void Covers_linux_6_18_and_every_main_architecture()
    {
        // file_getattr/file_setattr arrived in Linux 6.17; this machine runs 6.18.
        foreach (var arch in new[] { SeccompArch.X86_64, SeccompArch.X86, SeccompArch.X32, SeccompArch.Aarch64, SeccompArch.Arm })
        {
            Assert.NotNull(SyscallTable.Number("file_getattr", arch));
            Assert.True(SyscallTable.NamesOn(arch).Count() > 300, arch.ToString());
        }
        Assert.StartsWith("v7.", SyscallTable.KernelVersion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("opne", "open")]
    [InlineData("exit_gropu", "exit_group")]
    [InlineData("clone33", "clone3")]
    [InlineData("epoll_wiat", "epoll_wait")]
    public void Nearest_suggests_the_intended_name(string typo, string expected) =>
        Assert.Equal(expected, SyscallTable.Nearest(typo));

    [Fact]
    public void Nearest_suggests_nothing_for_unrelated_words() =>
        Assert.Null(SyscallTable.Nearest("kubernetes_controller"));

    [Fact]
    public void The_checked_in_table_is_what_the_generator_makes_from_the_csv()
    {
        var csv = SyscallCsv.Parse(File.ReadAllText(Repo.Data("syscalls/libseccomp-syscalls.csv")));
        var expected = SyscallTableWriter.Render(csv);
        var actual = File.ReadAllText(Path.Combine(Repo.Root, "src", "Profiles", "Syscalls", "SyscallData.g.cs"));
        Assert.True(expected == actual, "SyscallData.g.cs is stale: run dotnet run --project tools/SyscallTableGen -- ../shared/testdata/syscalls/libseccomp-syscalls.csv src/Profiles/Syscalls/SyscallData.g.cs");
        Assert.Equal(508, csv.Names.Count);
    }

    [Fact]
    public void The_generator_refuses_a_file_that_is_not_libseccomps_table() =>
        Assert.Throws<FormatException>(() => SyscallCsv.Parse("name,number\nread,0\n"));
}
