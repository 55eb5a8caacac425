using Mono.Cecil;
using Mono.Cecil.Cil;
using Portcullis.Analyzer.Loading;

namespace Portcullis.Analyzer.Passes;

/// <summary>
/// Which of the app's methods can run, in the manner of rapid type analysis: from the entry point, module
/// initializers and the types hosts create by reflection (controllers, hubs, hosted services, middleware),
/// follow calls, delegates (ldftn: minimal-API handlers and lambdas) and constructors. A type is
/// instantiated when reachable code creates it, boxes it, takes typeof of it or passes it as a generic
/// argument (AddHostedService&lt;T&gt;, AddSingleton&lt;TService, TImpl&gt;, an async method's state machine);
/// then all its virtual methods are reachable, which over-approximates virtual and interface dispatch
/// by the types that exist. Calls leaving the walked assemblies are recorded with their site.
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
    private readonly HashSet<MethodDefinition> _reachable = [];
    private readonly HashSet<TypeDefinition> _instantiated = [];
    private readonly Queue<MethodDefinition> _work = new();

    public Reachability(AppAssemblies app) => _app = app;

    public List<FrameworkCall> Calls { get; } = [];
    public List<(MethodDefinition Site, MethodDefinition PInvoke)> PInvokes { get; } = [];
    public IReadOnlySet<MethodDefinition> Reachable => _reachable;

    /// <summary>Walks from the entry point, or from <paramref name="rootMethod"/> (Namespace.Type::Method) alone, as the analyzer's test cases do.</summary>
    public Reachability Run(string? rootMethod = null)
    {
        if (rootMethod is not null)
        {
            var sep = rootMethod.IndexOf("::", StringComparison.Ordinal);
            var root = _app.Modules.SelectMany(m => m.GetTypes()).FirstOrDefault(t => t.FullName == rootMethod[..sep])?.Methods.FirstOrDefault(m => m.Name == rootMethod[(sep + 2)..])
                ?? throw new InvalidOperationException($"no method {rootMethod} in the analysed assemblies");
            Root(root);
            while (_work.TryDequeue(out var method))
                Walk(method);
            return this;
        }
        if (_app.EntryModule?.EntryPoint is { } entry)
            Root(entry);
        foreach (var module in _app.Modules)
        {
            foreach (var type in module.GetTypes())
            {
                if (type.Name == "<Module>" && type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } init)
                    Root(init);
                if (!type.IsAbstract && IsHostDiscovered(type))
                {
                    Instantiate(type);
                    foreach (var m in type.Methods.Where(m => m.IsPublic && !m.IsStatic))
                        Root(m);
                }
            }
        }
        while (_work.TryDequeue(out var method))
            Walk(method);
        return this;
    }

    private void Root(MethodDefinition method)
    {
        if (!_reachable.Add(method))
            return;
        _work.Enqueue(method);
        if (method.DeclaringType.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } cctor)
            Root(cctor);
    }

    private void Instantiate(TypeDefinition type)
    {
        if (!_instantiated.Add(type))
            return;
        foreach (var m in type.Methods.Where(m => m.IsVirtual && !m.IsAbstract))
            Root(m);
        if (type.BaseType is { } baseRef && _app.IsScanned(baseRef.Scope) && Resolve(baseRef) is { } baseType)
            Instantiate(baseType);
        if (type.DeclaringType is { } outer && outer.Name.StartsWith('<'))
            Instantiate(outer);
    }

    private void Walk(MethodDefinition method)
    {
        if (method.IsPInvokeImpl)
        {
            PInvokes.Add((method, method));
            return;
        }
        if (!method.HasBody)
            return;
        foreach (var instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case MethodReference target:
                    OnMethod(method, instruction, target);
                    break;
                case TypeReference type when instruction.OpCode.Code is Code.Newarr or Code.Box or Code.Initobj or Code.Ldtoken or Code.Newobj or Code.Castclass or Code.Isinst:
                    OnType(method, instruction, type);
                    break;
                case FieldReference field when _app.IsScanned(field.DeclaringType.Scope):
                    if (Resolve(field.DeclaringType) is { } owner && owner.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic) is { } cctor)
                        Root(cctor);
                    break;
                case FieldReference field:
                    Calls.Add(new FrameworkCall(method, instruction.Offset, TypeName(field.DeclaringType), field.Name));
                    break;
            }
        }
    }

    private void OnMethod(MethodDefinition site, Instruction instruction, MethodReference target)
    {
        foreach (var argument in GenericArguments(target))
            OnType(site, instruction, argument);
        if (_app.IsScanned(target.DeclaringType.Scope) && Resolve(target) is { } resolved)
        {
            if (resolved.IsPInvokeImpl)
                PInvokes.Add((site, resolved));
            Root(resolved);
            if (instruction.OpCode.Code is Code.Newobj)
                Instantiate(resolved.DeclaringType);
            return;
        }
        Calls.Add(new FrameworkCall(site, instruction.Offset, TypeName(target.DeclaringType), target.Name));
    }

    private void OnType(MethodDefinition site, Instruction instruction, TypeReference type)
    {
        foreach (var argument in type is GenericInstanceType g ? g.GenericArguments : [])
            OnType(site, instruction, argument);
        var element = type.GetElementType();
        if (element is GenericParameter)
            return;
        if (_app.IsScanned(element.Scope))
        {
            if (Resolve(element) is { } definition)
                Instantiate(definition);
            return;
        }
        if (instruction.OpCode.Code is Code.Ldtoken or Code.Newobj)
            Calls.Add(new FrameworkCall(site, instruction.Offset, TypeName(element), ".type"));
    }

    private static IEnumerable<TypeReference> GenericArguments(MethodReference method)
    {
        if (method is GenericInstanceMethod gm)
            foreach (var a in gm.GenericArguments)
                yield return a;
        if (method.DeclaringType is GenericInstanceType gt)
            foreach (var a in gt.GenericArguments)
                yield return a;
    }

    private bool IsHostDiscovered(TypeDefinition type)
    {
        for (var t = type; t is not null;)
        {
            if (t.Interfaces.Any(i => HostDiscovered.Contains(TypeName(i.InterfaceType))))
                return true;
            if (t.BaseType is null)
                return false;
            var baseName = TypeName(t.BaseType);
            if (HostDiscovered.Contains(baseName))
                return true;
            t = _app.IsScanned(t.BaseType.Scope) ? Resolve(t.BaseType) : null;
        }
        return false;
    }

    // A reference into a walked assembly that does not resolve (a forwarded or missing type) is treated as not walked.
    private static TypeDefinition? Resolve(TypeReference type)
    {
        try
        {
            return type.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    private static MethodDefinition? Resolve(MethodReference method)
    {
        try
        {
            return method.Resolve();
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
