using System.CommandLine;
using System.CommandLine.Invocation;
using Portcullis.Cli.Commands;
using Portcullis.Cli.Output;
using Portcullis.Profiles.Diagnostics;

namespace Portcullis.Cli;

/// <summary>
/// The `portcullis` command line. Exit codes: 0 success, 1 invalid input or a failed check, 2 usage error.
/// Every failure is one line, <c>PCL####: message (file:line:col)</c>; no input produces a stack trace.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var io = new CliIo(stdout, stderr);
        var root = new RootCommand("""
            Portcullis: least-privilege seccomp and AppArmor profiles for .NET containers.
            Read, check, compare and convert profiles in the OCI runtime-spec, Security Profiles Operator and AppArmor formats.
            """)
        {
            ValidateCommand.Create(io),
            MergeCommand.Create(io),
            DiffCommand.Create(io),
            ConvertCommand.Create(io),
            StatsCommand.Create(io),
            RecordCommand.Create(io),
            AnalyzeCommand.Create(io),
            GenerateCommand.Create(io),
            RunCommand.Create(io),
            PushCommand.Create(io),
            DiscoverCommand.Create(io),
            ClusterCommand.Create(io),
            PullCommand.Create(io),
            AttachCommand.Create(io),
            TestsOfCommand.Create(io),
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
                stderr.WriteLine(CliIo.Line(Diagnostic.Error(DiagnosticId.UsageError, error.Message)));
            stderr.WriteLine($"Run 'portcullis {string.Join(' ', CommandPath(parse))} --help' for usage.".Replace("  ", " ", StringComparison.Ordinal));
            return 2;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (ProfileException e)
        {
            stderr.WriteLine(CliIo.Line(e.Diagnostic));
            return e.Diagnostic.Id == DiagnosticId.UsageError ? 2 : 1;
        }
        catch (Portcullis.Oci.OciException e)
        {
            stderr.WriteLine(CliIo.Line(Diagnostic.Error(DiagnosticId.RegistryFailed, e.Message)));
            return 1;
        }
        catch (Exception e) when (e is Portcullis.Runtime.Kubernetes.ClusterApiException or k8s.Exceptions.KubeConfigException)
        {
            stderr.WriteLine(CliIo.Line(Diagnostic.Error(DiagnosticId.ClusterApiFailed, e.Message)));
            return 1;
        }
        catch (Portcullis.Recorder.RecorderException e)
        {
            stderr.WriteLine(CliIo.Line(Diagnostic.Error(DiagnosticId.RecorderFailed, e.Message)));
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of ours, not the user's input: still one line, with enough to report it.
            stderr.WriteLine(CliIo.Line(Diagnostic.Error(DiagnosticId.InternalError, $"internal error ({e.GetType().Name}: {e.Message}); please report this with the input that caused it")));
            return 1;
        }
    }

    private static List<string> CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (r.Command is not RootCommand)
                names.Insert(0, r.Command.Name);
        }
        return names;
    }
}
