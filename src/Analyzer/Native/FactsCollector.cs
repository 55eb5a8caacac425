namespace Portcullis.Analyzer.Native;

/// <summary>Accumulates what <see cref="CodeWalker"/> finds in one function, without duplicates, in a stable order.</summary>
internal sealed class FactsCollector(ulong entry)
{
    private readonly SortedSet<ulong> calls = [];
    private readonly SortedSet<string> imports = new(StringComparer.Ordinal);
    private readonly SortedSet<string> dynamicImports = new(StringComparer.Ordinal);
    private readonly SortedSet<int> syscalls = [];
    private int unresolved;
    private int calledParameters;
    private List<CallSite>? sites;

    private readonly SortedSet<ulong> taken = [];

    // Recursion adds nothing to what a function reaches.
    /// <param name="direct">Called or jumped to by address; otherwise its address is taken (a callback, a slot, a pointer called).</param>
    public void Call(ulong target, bool direct = false)
    {
        if (!direct)
            taken.Add(target);
        if (target != entry)
            calls.Add(target);
    }

    public void Import(string name) => imports.Add(name);

    /// <summary>A function looked up with dlsym, called through the slot the library stored it in.</summary>
    public void DynamicImport(string name) => dynamicImports.Add(name);

    /// <summary>A syscall whose number is not a known small constant could be any syscall: as unresolved as a call through a pointer.</summary>
    public void Syscall(IReadOnlyList<long>? numbers)
    {
        if (numbers is null || numbers.Count == 0 || numbers.Any(n => n is < 0 or > 4095))
        {
            unresolved++;
            return;
        }
        foreach (var n in numbers)
            syscalls.Add((int)n);
    }

    public void Unresolved() => unresolved++;

    /// <summary>A call through the incoming argument <paramref name="n"/>: resolved by what the callers pass.</summary>
    public void CallsParameter(int n) => calledParameters |= 1 << n;

    /// <summary>The dataflow runs: every direct call will come with its <see cref="CallSite"/>.</summary>
    public void RecordSites() => sites ??= [];

    public void Site(CallSite site) => sites?.Add(site);

    public FunctionFacts Build() => new([.. calls], [.. imports], [.. dynamicImports], [.. syscalls], unresolved, calledParameters, sites, [.. taken]);
}
