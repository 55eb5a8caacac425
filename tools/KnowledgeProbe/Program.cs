using Portcullis.KnowledgeProbe;

// Usage: KnowledgeProbe <group> [work directory] [server port] | --list. Each group does what apps using that API do,
// and nothing else; the empty group is the baseline every other group is compared with.
if (args is ["--list"])
{
    foreach (var name in ProbeIndex.All.Keys)
        Console.WriteLine(name);
    return 0;
}
if (args.Length == 0 || !ProbeIndex.All.TryGetValue(args[0], out var probe))
{
    Console.Error.WriteLine("usage: KnowledgeProbe <" + string.Join('|', ProbeIndex.All.Keys) + "> [dir] [port]");
    return 2;
}
var dir = args.Length > 1 ? args[1] : Path.GetTempPath();
var port = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
await probe(new ProbeContext(dir, port));
return 0;
