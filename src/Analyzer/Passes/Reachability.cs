using Mono.Cecil;
using Mono.Cecil.Cil;
using Portcullis.Analyzer.Loading;

namespace Portcullis.Analyzer.Passes;

/// <summary>
/// Which methods can run, app and framework alike, by rapid type analysis: from the entry point, module
/// initializers and the types hosts create by reflection (controllers, hubs, hosted services, middleware),
/// follow calls, delegates (ldftn) and static constructors down to the P/Invoke boundary. A virtual or
/// interface call reaches the overrides (same name and arity, explicit implementations included) of the types
/// reachable code instantiates: newobj, box, initobj, typeof, and the generic arguments of a generic method
/// (AddHostedService&lt;T&gt;, AddSingleton&lt;TService, TImpl&gt;), whose constructors DI calls by reflection, as
/// it does for typeof; <c>Type.GetType("constant")</c> is followed the same way, its static methods too. Each reached method keeps the
/// step that first reached it, so evidence can name the path from the app's call site to the P/Invoke.
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
    private readonly Dictionary<MethodDefinition, Step> _reached = [];
    private readonly HashSet<TypeDefinition> _instantiated = [];
    private readonly HashSet<TypeDefinition> _constructed = [];
    private readonly Dictionary<string, Step> _invokedSlots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<MethodDefinition>> _waitingForSlot = new(StringComparer.Ordinal);
    private readonly Dictionary<MemberReference, IMemberDefinition?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<MethodDefinition> _work = new();

    public Reachability(AppAssemblies app) => _app = app;

    /// <summary>How a method was first reached: from which method, at which IL offset (null for a root).</summary>
    public readonly record struct Step(MethodDefinition? From, int Offset);

    /// <summary>Something reachable code does that analysis cannot follow, at an app call site.</summary>
    public sealed record Unfollowed(MethodDefinition Site, int Offset, string What);

    public List<MethodDefinition> PInvokes { get; } = [];
    public List<Unfollowed> Unfollowable { get; } = [];
    public IReadOnlyDictionary<MethodDefinition, Step> Reached => _reached;
    public int UnresolvedReferences { get; private set; }

    /// <summary>Walks from the entry point, or from <paramref name="rootMethod"/> (Namespace.Type::Method) alone, as the analyzer's test cases do.</summary>
    public Reachability Run(string? rootMethod = null)
    {
        if (rootMethod is not null)
        {
            var sep = rootMethod.IndexOf("::", StringComparison.Ordinal);
            var root = _app.Modules.SelectMany(m => m.GetTypes()).FirstOrDefault(t => t.FullName == rootMethod[..sep])?.Methods.FirstOrDefault(m => m.Name == rootMethod[(sep + 2)..])
                ?? throw new InvalidOperationException($"no method {rootMethod} in the analysed assemblies");
            Reach(root, default);
        }
        else
        {
            if (_app.EntryModule?.EntryPoint is { } entry)
                Reach(entry, default);
            foreach (var module in _app.Modules)
            {
                foreach (var type in module.GetTypes())
                {
                    if (type.Name == "<Module>" && type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } init)
                        Reach(init, default);
                    if (!type.IsAbstract && IsHostDiscovered(type))
                    {
                        Construct(type, default);
                        foreach (var m in type.Methods.Where(m => m.IsPublic && !m.IsStatic))
                            Reach(m, default);
                    }
                }
            }
        }
        while (_work.TryDequeue(out var method))
            Walk(method);
        return this;
    }

    private void Reach(MethodDefinition method, Step step)
    {
        if (!_reached.TryAdd(method, step))
            return;
        _work.Enqueue(method);
        if (method.DeclaringType.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } cctor)
            Reach(cctor, step);
    }

    private void Walk(MethodDefinition method)
    {
        if (method.IsPInvokeImpl)
        {
            PInvokes.Add(method);
            return;
        }
        if (!method.HasBody)
            return;
        string? lastString = null;
        foreach (var instruction in method.Body.Instructions)
        {
            var step = new Step(method, instruction.Offset);
            switch (instruction.Operand)
            {
                case MethodReference target:
                    OnMethod(method, instruction, target, lastString);
                    break;
                case TypeReference type when instruction.OpCode.Code is Code.Ldtoken:
                    Construct(type, step);
                    break;
                case TypeReference type when instruction.OpCode.Code is Code.Box or Code.Initobj:
                    if (Resolve(type) is { } boxed)
                        Instantiate(boxed, step);
                    break;
                case FieldReference field when instruction.OpCode.Code is Code.Ldsfld or Code.Stsfld or Code.Ldsflda:
                    if (Resolve(field.DeclaringType) is { } owner && owner.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } cctor)
                        Reach(cctor, step);
                    break;
            }
            lastString = instruction.OpCode.Code is Code.Ldstr ? (string)instruction.Operand : null;
        }
    }

    private void OnMethod(MethodDefinition site, Instruction instruction, MethodReference target, string? lastString)
    {
        var step = new Step(site, instruction.Offset);
        if (target is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
                Construct(argument, step);
        }
        if (Resolve(target) is not { } resolved)
        {
            UnresolvedReferences++;
            return;
        }
        if (IsReflectionByName(resolved))
        {
            if (lastString is not null && _app.FindType(lastString) is { } named)
            {
                // Looked up by name to call into it (Microsoft.Data.Sqlite finds SQLitePCL.Batteries_V2 and invokes Init).
                Construct(named, step);
                foreach (var m in named.Methods.Where(m => m.IsStatic && !m.IsConstructor))
                    Reach(m, step);
            }
            else if (_app.IsApp(site.Module))
                Unfollowable.Add(new Unfollowed(site, instruction.Offset, $"{TypeName(resolved.DeclaringType)}::{resolved.Name} with a name that is not a constant"));
        }
        var code = instruction.OpCode.Code;
        if (code is Code.Callvirt or Code.Ldvirtftn && resolved.IsVirtual)
            Dispatch(resolved, step);
        if (!resolved.IsAbstract)
            Reach(resolved, step);
        if (code is Code.Newobj)
            Instantiate(resolved.DeclaringType, step);
    }

    // A call through a virtual slot reaches the override of every instantiated type, now and later.
    private void Dispatch(MethodDefinition method, Step step)
    {
        var slot = Slot(method.Name, method.Parameters.Count);
        if (!_invokedSlots.TryAdd(slot, step))
            return;
        if (_waitingForSlot.Remove(slot, out var waiting))
        {
            foreach (var m in waiting)
                Reach(m, step);
        }
    }

    private void Instantiate(TypeDefinition type, Step step)
    {
        if (!_instantiated.Add(type))
            return;
        foreach (var m in type.Methods)
        {
            if (!m.IsVirtual || m.IsAbstract)
                continue;
            foreach (var slot in Slots(m))
            {
                if (_invokedSlots.TryGetValue(slot, out var invoked))
                    Reach(m, invoked);
                else
                    (_waitingForSlot.TryGetValue(slot, out var list) ? list : _waitingForSlot[slot] = []).Add(m);
            }
        }
        if (type.BaseType is { } baseRef && Resolve(baseRef) is { } baseType)
            Instantiate(baseType, step);
        if (type.DeclaringType is { } outer && outer.Name.StartsWith('<'))
            Instantiate(outer, step);
    }

    // typeof(T), a generic method's type argument, or a type named by a constant: reflection (DI, hosts) may create it.
    private void Construct(TypeReference reference, Step step)
    {
        if (reference is GenericInstanceType g)
        {
            foreach (var argument in g.GenericArguments)
                Construct(argument, step);
        }
        if (reference.GetElementType() is GenericParameter || Resolve(reference) is not { } type)
            return;
        Construct(type, step);
    }

    private void Construct(TypeDefinition type, Step step)
    {
        if (!_constructed.Add(type))
            return;
        if (type.IsAbstract || type.IsInterface)
            return;
        Instantiate(type, step);
        foreach (var ctor in type.Methods.Where(m => m.IsConstructor && !m.IsStatic))
            Reach(ctor, step);
    }

    private static bool IsReflectionByName(MethodDefinition method) =>
        method.Name == "GetType" && method.IsStatic && method.Parameters.Count > 0 && method.Parameters[0].ParameterType.MetadataType == MetadataType.String
            && method.DeclaringType.FullName == "System.Type";

    private static string Slot(string name, int arity) => string.Concat(name.AsSpan(name.LastIndexOf('.') + 1), "/", arity.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static IEnumerable<string> Slots(MethodDefinition method)
    {
        yield return Slot(method.Name, method.Parameters.Count);
        foreach (var o in method.Overrides)
            yield return Slot(o.Name, o.Parameters.Count);
    }

    private bool IsHostDiscovered(TypeDefinition type)
    {
        for (var t = type; t is not null;)
        {
            if (t.Interfaces.Any(i => HostDiscovered.Contains(TypeName(i.InterfaceType))))
                return true;
            if (t.BaseType is null)
                return false;
            if (HostDiscovered.Contains(TypeName(t.BaseType)))
                return true;
            t = Resolve(t.BaseType);
        }
        return false;
    }

    // A reference that does not resolve (a missing or Windows-only assembly) is not walked; its count is reported.
    private TypeDefinition? Resolve(TypeReference type)
    {
        if (type is TypeDefinition d)
            return d;
        if (!_resolved.TryGetValue(type, out var found))
            _resolved[type] = found = Try(type.Resolve);
        return found as TypeDefinition;
    }

    private MethodDefinition? Resolve(MethodReference method)
    {
        if (method is MethodDefinition d)
            return d;
        if (!_resolved.TryGetValue(method, out var found))
            _resolved[method] = found = Try(method.Resolve);
        return found as MethodDefinition;
    }

    private static T? Try<T>(Func<T> resolve) where T : class
    {
        try
        {
            return resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    /// <summary>Namespace.Type (nested: Outer/Inner) without generic arguments or arity.</summary>
    internal static string TypeName(TypeReference type)
    {
        var element = type.GetElementType();
        var name = element.FullName;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }
}
