// RuntimeBaseProbe: the syscalls an OCI runtime needs after it installs the container's seccomp filter, found by
// deletion. Start from ContainerRuntimeBase.Names plus what the trivial entrypoint (exit_group) needs, drop one
// name at a time, run the container --repeat times; a name is needed if any repetition fails (flaky names count
// as needed and are printed as such).
// With --check, it instead measures ContainerRuntimeBase.For(runtime, version, nnp): whether that set starts
// every repetition, and per name how many of the repetitions failed once it is dropped (N/N: needed; fewer: flaky).
//   usage: RuntimeBaseProbe <runc|crun> [--repeat N] [--nnp true|false|both] [--uid 0,65534] [--check]
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Seccomp;
using Portcullis.Profiles.Syscalls;
using Portcullis.RuntimeBaseProbe;

if (args.Length < 1)
{
    Console.Error.WriteLine("usage: RuntimeBaseProbe <runc|crun|path> [--repeat N] [--nnp true|false|both] [--uid 0,65534]");
    return 2;
}
var runtime = args[0];
var repeat = 3;
bool[] nnps = [true, false];
int[] uids = [0, 65534];
var check = args.Contains("--check");
var options = args.Skip(1).Where(a => a != "--check").ToArray();
for (var i = 0; i + 1 < options.Length; i += 2)
{
    switch (options[i])
    {
        case "--repeat": repeat = int.Parse(options[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--nnp": nnps = options[i + 1] == "both" ? [true, false] : [bool.Parse(options[i + 1])]; break;
        case "--uid": uids = [.. options[i + 1].Split(',').Select(u => int.Parse(u, System.Globalization.CultureInfo.InvariantCulture))]; break;
        default: Console.Error.WriteLine($"unknown option {options[i]}"); return 2;
    }
}
var path = File.Exists(runtime) ? runtime : Environment.GetEnvironmentVariable("PATH")!.Split(':').Append("/usr/sbin").Select(d => Path.Combine(d, runtime)).FirstOrDefault(File.Exists);
if (path is null)
{
    Console.Error.WriteLine($"{runtime} not found");
    return 2;
}
using var bundle = new TrialBundle(path, Path.GetFileName(path));
Console.WriteLine($"# {bundle.Version}; entrypoint needs: {string.Join(' ', ExitZeroProgram.Needs)}");
if (check)
{
    var version = bundle.Version.Split(' ')[^1];
    foreach (var nnp in nnps)
    {
        var variant = ContainerRuntimeBase.For(bundle.RuntimeName, version, nnp);
        var set = ExitZeroProgram.Needs.Union(variant.Names).ToList();
        foreach (var uid in uids)
        {
            var starts = Enumerable.Range(0, repeat).Count(r => bundle.Starts(set, nnp, uid, out _));
            var drops = variant.Names.Select(name => $"{name}:{Enumerable.Range(0, repeat).Count(r => !bundle.Starts(set.Where(n => n != name), nnp, uid, out _))}");
            Console.WriteLine($"{bundle.RuntimeName} {version} nnp={nnp} uid={uid} proven={variant.Proven}: starts {starts}/{repeat}; failures when dropped: {string.Join(' ', drops)}");
        }
    }
    return 0;
}
var start = ContainerRuntimeBase.Names.Where(n => SyscallTable.ExistsOn(n, SeccompArch.X86_64)).Concat(ExitZeroProgram.Needs).Distinct().ToList();
foreach (var nnp in nnps)
    foreach (var uid in uids)
    {
        if (!bundle.Starts(start, nnp, uid, out var failure))
        {
            Console.WriteLine($"{bundle.RuntimeName} nnp={nnp} uid={uid}: the starting set fails: {failure.Trim()}");
            return 1;
        }
        var kept = start.ToList();
        var flaky = new List<string>();
        foreach (var name in start.Where(n => !ExitZeroProgram.Needs.Contains(n)))
        {
            var candidate = kept.Where(n => n != name).ToList();
            var failures = Enumerable.Range(0, repeat).Count(r => !bundle.Starts(candidate, nnp, uid, out _));
            if (failures == 0)
                kept = candidate;
            else if (failures < repeat)
                flaky.Add(name);
        }
        // Verify the minimal set itself starts every time.
        var verified = Enumerable.Range(0, repeat).All(r => bundle.Starts(kept, nnp, uid, out _));
        var runtimePart = kept.Where(n => !ExitZeroProgram.Needs.Contains(n)).Order(StringComparer.Ordinal);
        Console.WriteLine($"{bundle.RuntimeName} nnp={nnp} uid={uid} runtime: {string.Join(' ', runtimePart)}; flaky: {string.Join(' ', flaky)}; minimal set starts {repeat}/{repeat}: {verified}");
    }
return 0;
