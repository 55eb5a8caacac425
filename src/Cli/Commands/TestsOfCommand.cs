using System.CommandLine;
using Portcullis.Cli.Output;
using Portcullis.Cli.TestProjects;

namespace Portcullis.Cli.Commands;

internal static class TestsOfCommand
{
    public static Command Create(CliIo io)
    {
        var project = new Argument<string>("project") { Description = "The app's project file." }.RejectOptions();
        var command = new Command("tests-of", """
            Print the test projects of an app, one per line: the projects of its repository that reference it
            and are test projects, whatever their names (what Portcullis.Build records when no
            PortcullisTestProject items are given).

            Example:
              portcullis tests-of src/Api/Api.csproj
            """)
        { project };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(project)!;
            if (!File.Exists(path))
                throw Profiles.Diagnostics.ProfileException.At(Profiles.Diagnostics.DiagnosticId.FileNotFound, "does not exist", new Profiles.Diagnostics.Origin(path, 0, 0));
            foreach (var test in TestProjectFinder.For(path))
                io.Out.WriteLine(test);
            return 0;
        });
        return command;
    }
}
