namespace Portcullis.Analyzer.Native;

/// <summary>
/// The functions reachable from the exports, each decoded once, and the reverse edges. For every reached item
/// (an import, a syscall, an unresolved call) one breadth-first search backwards from its direct users gives every
/// function its shortest route to it, so each function's closure is computed once, whatever the cycles.
/// </summary>
internal sealed class NativeCallGraph
{
    private readonly SortedDictionary<ulong, FunctionFacts> facts = [];
    private readonly Dictionary<ulong, List<ulong>> callers = [];

    public NativeCallGraph(ElfCode elf, IEnumerable<ulong> roots)
    {
        var walker = new CodeWalker(elf);
        var queue = new Queue<ulong>();
        foreach (var root in roots)
            if (facts.TryAdd(root, walker.Walk(root)))
                queue.Enqueue(root);
        while (queue.TryDequeue(out var f))
            foreach (var callee in facts[f].Calls)
                if (!facts.ContainsKey(callee))
                {
                    facts[callee] = walker.Walk(callee);
                    queue.Enqueue(callee);
                }
        foreach (var (f, fact) in facts)
            foreach (var callee in fact.Calls)
            {
                if (!callers.TryGetValue(callee, out var list))
                    callers[callee] = list = [];
                list.Add(f);
            }
    }

    public IReadOnlyDictionary<ulong, FunctionFacts> Facts => facts;

    /// <summary>
    /// For each function that reaches one of <paramref name="users"/>, the next function on a shortest route there;
    /// a user maps to itself.
    /// </summary>
    public Dictionary<ulong, ulong> RoutesTo(IEnumerable<ulong> users)
    {
        var next = new Dictionary<ulong, ulong>();
        var queue = new Queue<ulong>();
        foreach (var u in users)
            if (next.TryAdd(u, u))
                queue.Enqueue(u);
        while (queue.TryDequeue(out var g))
            if (callers.TryGetValue(g, out var list))
                foreach (var c in list)
                    if (next.TryAdd(c, g))
                        queue.Enqueue(c);
        return next;
    }
}
