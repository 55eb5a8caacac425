namespace Portcullis.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Err)
{
    public static CliRun Of(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var code = CliApp.Run(args, stdout, stderr);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public string[] ErrLines => Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
