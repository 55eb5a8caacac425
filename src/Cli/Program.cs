using Portcullis.Cli;
using Portcullis.Recorder.Launching;

// The recorder re-executes this program as its launcher (see Launcher): route that before anything else.
if (args.Length > 0 && args[0] == LauncherCommand.Verb)
    return Launcher.Run();

return CliApp.Run(args, Console.Out, Console.Error);
