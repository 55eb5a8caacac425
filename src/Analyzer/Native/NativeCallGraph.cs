namespace Portcullis.Analyzer.Native;

/// <summary>
/// The functions reachable from the exports, each decoded once. <see cref="LibraryGraph"/> keeps them in compact form
/// and walks them per export when asked.
/// </summary>
internal sealed class NativeCallGraph
{
    private readonly SortedDictionary<ulong, FunctionFacts> facts = [];

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
    }

    public IReadOnlyDictionary<ulong, FunctionFacts> Facts => facts;
}
