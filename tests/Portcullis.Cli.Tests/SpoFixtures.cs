namespace Portcullis.Cli.Tests;

internal static class SpoFixtures
{
    /// <summary>An SPO SeccompProfile "app" that allows uname on x86 and builds on <paramref name="baseName"/>.</summary>
    public static string AppOnBase(string baseName) =>
        $"apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: app\nspec:\n  defaultAction: SCMP_ACT_ERRNO\n  baseProfileName: {baseName}\n" +
        "  architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32]\n  syscalls:\n  - action: SCMP_ACT_ALLOW\n    names: [uname]\n";
}
