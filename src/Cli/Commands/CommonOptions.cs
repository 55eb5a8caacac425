using System.CommandLine;

namespace Portcullis.Cli.Commands;

/// <summary>Options several commands share, created fresh per command (System.CommandLine symbols have one parent).</summary>
internal static class CommonOptions
{
    public static Option<string?> Output() => new("--output", "-o")
    {
        Description = "Write the result to this file (atomically: a temp file renamed into place). Default: standard output.",
        HelpName = "file",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print machine-readable JSON instead of text.",
    };

    public static Option<string[]> Base() => new("--base")
    {
        Description = "A file with base profiles for spec.baseProfileName (repeatable).",
        HelpName = "file",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>
    /// Refuses option-like tokens as file names: System.CommandLine hands an unknown "--flag" to a
    /// variadic argument, which would otherwise surface as "file not found" instead of a usage error.
    /// </summary>
    public static T RejectOptions<T>(this T argument)
        where T : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value.StartsWith('-')))
                result.AddError($"unknown option '{token.Value}'");
        });
        return argument;
    }

    public static Option<string?> Arch() => new("--arch")
    {
        Description = "Architecture to resolve Docker-format includes/excludes for (x86_64, aarch64, amd64, ...). Default: this machine's.",
        HelpName = "arch",
    };
}
