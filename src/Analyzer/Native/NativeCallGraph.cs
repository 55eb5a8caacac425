namespace Portcullis.Analyzer.Native;

/// <summary>
/// The functions reachable from the roots (exports, functions kept in data), each decoded once. A function that calls
/// through one of its incoming arguments (the OpenSSL shim's CheckKey calls the check it is handed) is resolved by its
/// callers: each direct call says what it passes (<see cref="CallSite"/>), a caller passing its own argument on
/// calls through that in turn, and one passing something unknown, like a root or a function whose address is
/// taken (callers analysis cannot see), is unresolved. <see cref="LibraryGraph"/> keeps them in compact form and walks
/// them per export when asked.
/// </summary>
internal sealed class NativeCallGraph
{
    private readonly SortedDictionary<ulong, FunctionFacts> facts = [];

    public NativeCallGraph(ElfCode elf, IEnumerable<ulong> roots)
    {
        var walker = new CodeWalker(elf);
        var rootSet = new HashSet<ulong>();
        var queue = new Queue<ulong>();
        foreach (var root in roots)
        {
            rootSet.Add(root);
            if (facts.TryAdd(root, walker.Walk(root)))
                queue.Enqueue(root);
        }
        Close(walker, queue);

        // Callers of a function that calls through an argument need their dataflow, for what they pass: walk those again,
        // and theirs when they pass their own argument on.
        var rewalked = new HashSet<ulong>();
        while (true)
        {
            var (_, called, callers) = Propagate(rootSet);
            var again = called.Keys.SelectMany(f => callers.GetValueOrDefault(f, [])).Where(g => facts[g].Sites is null && rewalked.Add(g)).ToList();
            if (again.Count == 0)
                break;
            foreach (var g in again)
            {
                facts[g] = walker.Walk(g, arguments: true);
                queue.Enqueue(g);
            }
            Close(walker, queue);
        }
        foreach (var f in Propagate(rootSet).Unresolved)
            facts[f] = facts[f] with { UnresolvedIndirect = facts[f].UnresolvedIndirect + 1 };
    }

    public IReadOnlyDictionary<ulong, FunctionFacts> Facts => facts;

    private void Close(CodeWalker walker, Queue<ulong> queue)
    {
        while (queue.TryDequeue(out var f))
            foreach (var callee in facts[f].Calls)
                if (!facts.ContainsKey(callee))
                {
                    facts[callee] = walker.Walk(callee);
                    queue.Enqueue(callee);
                }
    }

    private Dictionary<ulong, List<ulong>> Callers()
    {
        var callers = new Dictionary<ulong, List<ulong>>();
        foreach (var (g, f) in facts)
            foreach (var callee in f.Calls)
                (callers.TryGetValue(callee, out var list) ? list : callers[callee] = []).Add(g);
        return callers;
    }

    /// <summary>
    /// Which arguments each function calls through, its own or passed on to a callee that does; and which functions that
    /// leaves unresolved: roots and functions whose address is taken (callers unseen), callers passing something unknown.
    /// </summary>
    private (HashSet<ulong> Unresolved, Dictionary<ulong, int> Called, Dictionary<ulong, List<ulong>> Callers) Propagate(HashSet<ulong> roots)
    {
        var callers = Callers();
        var called = facts.Where(f => f.Value.CalledParameters != 0).ToDictionary(f => f.Key, f => f.Value.CalledParameters);
        var unresolved = new HashSet<ulong>();
        var queue = new Queue<ulong>(called.Keys);
        while (queue.TryDequeue(out var f))
        {
            var mask = called[f];
            if (roots.Contains(f))
                unresolved.Add(f);
            foreach (var g in callers.GetValueOrDefault(f, []))
            {
                var sites = facts[g].Sites?.Where(s => s.Callee == f).ToList();
                if (sites is not { Count: > 0 } || facts[g].Taken?.Contains(f) != false)
                    unresolved.Add(f); // its address taken: called from where analysis cannot see what is passed
                foreach (var site in sites ?? [])
                    for (var n = 0; n < site.Arguments.Length; n++)
                    {
                        if ((mask & (1 << n)) == 0)
                            continue;
                        var before = called.GetValueOrDefault(g);
                        if (site.Arguments[n] == CallSite.Unknown)
                            unresolved.Add(g);
                        else if ((before | site.Arguments[n]) != before)
                        {
                            called[g] = before | site.Arguments[n];
                            queue.Enqueue(g);
                        }
                    }
            }
        }
        return (unresolved, called, callers);
    }
}
