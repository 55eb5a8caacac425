using Mono.Cecil;
using Portcullis.Analyzer.Il;
using Portcullis.Analyzer.Loading;

namespace Portcullis.Analyzer.Passes;

/// <summary>
/// Which methods can run, app and framework alike, by rapid type analysis: from the entry point, module
/// initializers and the types hosts create by reflection (controllers, hubs, hosted services, middleware),
/// follow calls, delegates (ldftn) and static constructors down to the P/Invoke boundary. A virtual call on
/// Type::Method reaches the overrides (same name and arity, explicit implementations included) of the types below
/// Type that reachable code instantiates, an interface call the implementations in types that implement that
/// interface: newobj, box, initobj, typeof, and the generic arguments of a generic method
/// (AddHostedService&lt;T&gt;, AddSingleton&lt;TService, TImpl&gt;), whose constructors DI calls by reflection, as
/// it does for typeof; <c>Type.GetType("constant")</c> is followed the same way, its static methods too. A call to a
/// static virtual interface member (<c>constrained. T call</c>) reaches the implementations in the types code gives
/// as generic arguments, and in their base types. Each reached method keeps the
/// step that first reached it, so evidence can name the path from the app's call site to the P/Invoke. Code behind
/// a method's bool flag (<see cref="LastFlag"/>) runs only once some caller may pass true: a constant false keeps it
/// out, a caller handing its own flag on keeps it out until that caller's flag turns on.
/// The walk runs over compiled code (<see cref="CodeModules"/>): the framework's comes from the cache.
/// </summary>
internal sealed class Reachability
{
    // Base types and interfaces whose implementations a host finds by reflection.
    private static readonly string[] HostDiscovered =
    [
        "Microsoft.AspNetCore.Mvc.ControllerBase", "Microsoft.AspNetCore.Mvc.Controller", "Microsoft.AspNetCore.SignalR.Hub",
        "Microsoft.AspNetCore.Mvc.RazorPages.PageModel", "Microsoft.AspNetCore.Components.ComponentBase",
        "Microsoft.Extensions.Hosting.BackgroundService", "Microsoft.Extensions.Hosting.IHostedService", "Microsoft.AspNetCore.Http.IMiddleware",
        "Grpc.Core.BindableService",
    ];

    private readonly AppAssemblies _app;
    private readonly CodeModules _code;
    private readonly Dictionary<CodeRef, Step> _reached = [];
    private readonly HashSet<CodeRef> _instantiated = [];
    private readonly HashSet<CodeRef> _constructed = [];
    private readonly HashSet<CodeRef> _typeArguments = [];
    private readonly HashSet<(CodeRef, string)> _filled = [];
    private readonly Dictionary<string, Step> _invokedSlots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CodeRef>> _waitingForSlot = new(StringComparer.Ordinal);
    private readonly Queue<(CodeRef Method, bool FlaggedOnly)> _work = new();
    private readonly HashSet<CodeRef> _walked = [];

    // Methods whose flagged code (LastFlag: runs only when the last bool parameter is true) may run, and the slots
    // called with a flag that may be true; who passes their own flag on to whom, for when theirs turns on.
    private readonly HashSet<CodeRef> _flagOn = [];
    private readonly HashSet<string> _slotFlagOn = new(StringComparer.Ordinal);
    private readonly Dictionary<CodeRef, List<CodeRef>> _passesFlagTo = [];
    private readonly Dictionary<CodeRef, List<string>> _passesFlagToSlot = [];
    private readonly Dictionary<string, List<CodeRef>> _reachedThroughSlot = new(StringComparer.Ordinal);

    public Reachability(AppAssemblies app, CodeModules code)
    {
        _app = app;
        _code = code;
    }

    /// <summary>How a method was first reached: from which method, at which IL offset (null for a root).</summary>
    public readonly record struct Step(CodeRef? From, int Offset);

    /// <summary>Something reachable code does that analysis cannot follow, at an app call site.</summary>
    public sealed record Unfollowed(CodeRef Site, int Offset, string What);

    public List<CodeRef> PInvokes { get; } = [];
    public List<Unfollowed> Unfollowable { get; } = [];
    public IReadOnlyDictionary<CodeRef, Step> Reached => _reached;

    /// <summary>Walks from the entry point, or from <paramref name="rootMethod"/> (Namespace.Type::Method) alone, as the analyzer's test cases do.</summary>
    public Reachability Run(string? rootMethod = null)
    {
        if (rootMethod is not null)
        {
            var sep = rootMethod.IndexOf("::", StringComparison.Ordinal);
            var root = _app.Modules.SelectMany(m => m.GetTypes()).FirstOrDefault(t => t.FullName == rootMethod[..sep])?.Methods.FirstOrDefault(m => m.Name == rootMethod[(sep + 2)..])
                ?? throw new InvalidOperationException($"no method {rootMethod} in the analysed assemblies");
            Reach(_code.Ref(root), default);
        }
        else
        {
            if (_app.EntryModule?.EntryPoint is { } entry)
                Reach(_code.Ref(entry), default);
            foreach (var module in _app.Modules)
            {
                foreach (var type in module.GetTypes())
                {
                    if (type.Name == "<Module>" && type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } init)
                        Reach(_code.Ref(init), default);
                    if (!type.IsAbstract && IsHostDiscovered(type))
                    {
                        Construct(_code.Ref(type), default);
                        foreach (var m in type.Methods.Where(m => m.IsPublic && !m.IsStatic))
                            Reach(_code.Ref(m), default);
                    }
                }
            }
        }
        while (_work.TryDequeue(out var item))
            Walk(item.Method, item.FlaggedOnly);
        return this;
    }

    /// <param name="flagOn">Whether the method's flagged code may run for this caller (a root, reflection or a delegate: yes).</param>
    private void Reach(CodeRef method, Step step, bool flagOn = true)
    {
        if (flagOn)
            FlagOn(method);
        if (!_reached.TryAdd(method, step))
            return;
        _work.Enqueue((method, false));
        var declaring = _code.Method(method).DeclaringType;
        if (_code.Type(method with { Token = declaring }).StaticConstructor is var cctor and not 0)
            Reach(new CodeRef(method.Module, cctor), step);
    }

    // Its flagged code runs from now on: walk it if the rest was walked, and turn on the flags it passes on (a
    // worklist, not recursion: chains of methods passing their flag on can be long).
    private void FlagOn(CodeRef method)
    {
        var pending = new Stack<CodeRef>();
        pending.Push(method);
        while (pending.TryPop(out var m))
        {
            if (!_flagOn.Add(m))
                continue;
            if (_walked.Contains(m))
                _work.Enqueue((m, true));
            if (_passesFlagTo.Remove(m, out var callees))
                foreach (var callee in callees)
                    pending.Push(callee);
            if (_passesFlagToSlot.Remove(m, out var slots))
                foreach (var slot in slots)
                    if (_slotFlagOn.Add(slot))
                        foreach (var reached in _reachedThroughSlot.GetValueOrDefault(slot, []))
                            pending.Push(reached);
        }
    }

    private void SlotFlagOn(string slot)
    {
        if (!_slotFlagOn.Add(slot))
            return;
        foreach (var m in _reachedThroughSlot.GetValueOrDefault(slot, []).ToList())
            FlagOn(m);
    }

    // Whether a call from caller may pass a true flag; a caller passing its own, while that is off, is noted.
    private bool FlagPassed(CodeOp op, CodeRef caller, CodeRef callee, string? slot)
    {
        if (op.Flag == FlagArgument.False)
            return false;
        if (op.Flag != FlagArgument.CallersFlag || _flagOn.Contains(caller))
            return true;
        if (slot is null)
            (_passesFlagTo.TryGetValue(caller, out var list) ? list : _passesFlagTo[caller] = []).Add(callee);
        else
            (_passesFlagToSlot.TryGetValue(caller, out var slots) ? slots : _passesFlagToSlot[caller] = []).Add(slot);
        return false;
    }

    private void Walk(CodeRef method, bool flaggedOnly)
    {
        var compiled = _code.Method(method);
        if (compiled.IsPInvoke)
        {
            if (!flaggedOnly)
                PInvokes.Add(method);
            return;
        }
        _walked.Add(method);
        foreach (var op in compiled.Ops)
        {
            if (flaggedOnly ? !op.Flagged : op.Flagged && !_flagOn.Contains(method))
                continue;
            var step = new Step(method, op.Offset);
            switch (op.Kind)
            {
                case OpKind.Reach:
                    Reach(op.Target, step, FlagPassed(op, method, op.Target, null));
                    break;
                case OpKind.Dispatch:
                    if (FlagPassed(op, method, op.Target, op.Text!))
                        SlotFlagOn(op.Text!);
                    Dispatch(op.Text!, step);
                    break;
                case OpKind.Instantiate:
                    Instantiate(op.Target, step);
                    break;
                case OpKind.Construct:
                    Construct(op.Target, step);
                    break;
                case OpKind.TypeArgument:
                    TypeArgument(op.Target, step);
                    break;
                case OpKind.ReachStaticConstructor:
                    if (_code.Type(op.Target).StaticConstructor is var cctor and not 0)
                        Reach(op.Target with { Token = cctor }, step);
                    break;
                case OpKind.ReflectByName:
                    ReflectByName(method, op, step);
                    break;
            }
        }
    }

    private void ReflectByName(CodeRef site, CodeOp op, Step step)
    {
        if (op.Text is not null && _code.FindType(op.Text) is { } named)
        {
            // Looked up by name to call into it (Microsoft.Data.Sqlite finds SQLitePCL.Batteries_V2 and invokes Init).
            Construct(named, step);
            foreach (var m in _code.Type(named).StaticMethods)
                Reach(named with { Token = m }, step);
        }
        else if (_code.IsApp(site.Module))
        {
            Unfollowable.Add(new Unfollowed(site, op.Offset, "System.Type::GetType with a name that is not a constant"));
        }
    }

    // A call through a virtual slot reaches the override of every instantiated type, now and later.
    private void Dispatch(string slot, Step step)
    {
        if (!_invokedSlots.TryAdd(slot, step))
            return;
        if (_waitingForSlot.Remove(slot, out var waiting))
        {
            foreach (var m in waiting)
                ReachThroughSlot(m, slot, step);
        }
    }

    // An override reached through a slot gets the slot's flag, now and when it turns on.
    private void ReachThroughSlot(CodeRef method, string slot, Step step)
    {
        (_reachedThroughSlot.TryGetValue(slot, out var list) ? list : _reachedThroughSlot[slot] = []).Add(method);
        Reach(method, step, _slotFlagOn.Contains(slot));
    }

    // An instantiated type's virtuals, its base types' included, fill their class slots and, by key, the slots of
    // every interface the type or a base declares: a base class's method can implement a derived class's interface.
    private void Instantiate(CodeRef type, Step step)
    {
        if (!_instantiated.Add(type))
            return;
        var chain = WithBases(type);
        var interfaceSlots = chain.SelectMany(t => _code.Type(t).InterfaceSlots).Distinct(StringComparer.Ordinal)
            .ToLookup(slot => slot[(slot.LastIndexOf("::", StringComparison.Ordinal) + 2)..], StringComparer.Ordinal);
        foreach (var owner in chain)
        {
            var compiled = _code.Type(owner);
            foreach (var virtualMethod in compiled.Virtuals)
            {
                var m = owner with { Token = virtualMethod.Token };
                foreach (var slot in virtualMethod.Slots.Concat(interfaceSlots[virtualMethod.Key]))
                    Fill(m, slot, step);
            }
            if (!compiled.CompilerGeneratedOuter.IsNone)
                Instantiate(compiled.CompilerGeneratedOuter, step);
        }
    }

    private List<CodeRef> WithBases(CodeRef type)
    {
        var chain = new List<CodeRef>();
        for (var t = type; !t.IsNone && !chain.Contains(t); t = _code.Type(t).Base)
            chain.Add(t);
        return chain;
    }

    // Reached by whichever came last, the call through the slot or the instantiation: that is what made it reachable
    // (an async method's MoveNext is reached where its state machine is created, not where some other one was started).
    private void Fill(CodeRef method, string slot, Step instantiated)
    {
        if (!_filled.Add((method, slot)))
            return;
        if (_invokedSlots.ContainsKey(slot))
            ReachThroughSlot(method, slot, instantiated);
        else
            (_waitingForSlot.TryGetValue(slot, out var list) ? list : _waitingForSlot[slot] = []).Add(method);
    }

    // A type given as T: generic code may call T's static virtual members (`constrained. T call`), which resolve to
    // the implementation in T or in a base type of T.
    private void TypeArgument(CodeRef type, Step step)
    {
        if (!_typeArguments.Add(type))
            return;
        foreach (var owner in WithBases(type))
        {
            foreach (var implementation in _code.Type(owner).StaticVirtuals)
            {
                foreach (var slot in implementation.Slots)
                    Fill(owner with { Token = implementation.Token }, slot, step);
            }
        }
    }

    // typeof(T), a generic method's type argument, or a type named by a constant: reflection (DI, hosts) may create it.
    private void Construct(CodeRef type, Step step)
    {
        TypeArgument(type, step);
        if (!_constructed.Add(type))
            return;
        var compiled = _code.Type(type);
        if (compiled.IsAbstract)
            return;
        Instantiate(type, step);
        foreach (var ctor in compiled.Constructors)
            Reach(type with { Token = ctor }, step);
    }

    private bool IsHostDiscovered(TypeDefinition type)
    {
        for (var t = type; t is not null;)
        {
            if (t.Interfaces.Any(i => HostDiscovered.Contains(IlCompiler.TypeName(i.InterfaceType))))
                return true;
            if (t.BaseType is null)
                return false;
            if (HostDiscovered.Contains(IlCompiler.TypeName(t.BaseType)))
                return true;
            t = _code.Compiler.Resolve(t.BaseType);
        }
        return false;
    }
}
