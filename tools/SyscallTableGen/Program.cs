using SyscallTableGen;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: SyscallTableGen <libseccomp syscalls.csv> <output .cs>");
    return 2;
}

try
{
    var csv = SyscallCsv.Parse(File.ReadAllText(args[0]));
    var temp = args[1] + ".tmp";
    File.WriteAllText(temp, SyscallTableWriter.Render(csv));
    File.Move(temp, args[1], overwrite: true);
    Console.WriteLine($"{csv.Names.Count} syscalls x {csv.Abis.Count} ABIs ({csv.Version}) -> {args[1]}");
    return 0;
}
catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"{args[0]}: {e.Message}");
    return 1;
}
