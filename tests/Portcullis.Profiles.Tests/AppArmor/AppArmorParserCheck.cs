using Portcullis.Profiles.Tests.Support;

namespace Portcullis.Profiles.Tests.AppArmor;

/// <summary>Runs the real apparmor_parser on policy text: parse and compile only (-Q), no cache (-K); the kernel here has no AppArmor to load into.</summary>
internal static class AppArmorParserCheck
{
    public static (int ExitCode, string Output) Run(string policy)
    {
        var parser = Requires.Tool("apparmor_parser", "apparmor");
        var file = Path.Combine(Path.GetTempPath(), $"portcullis-{Guid.NewGuid():N}.profile");
        File.WriteAllText(file, policy);
        try
        {
            return Requires.Run(parser, "-Q", "-K", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public static void AssertAccepted(string policy)
    {
        var (code, output) = Run(policy);
        Assert.True(code == 0, $"apparmor_parser rejected the profile:\n{output}\n{policy}");
    }
}
