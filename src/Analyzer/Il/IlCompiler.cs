using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Portcullis.Analyzer.Il;

/// <summary>
/// Reduces Cecil's methods and types to what reachability follows (<see cref="CompiledMethod"/>,
/// <see cref="CompiledType"/>), resolving each reference to the definition it denotes in whichever module holds it.
/// </summary>
internal sealed class IlCompiler
{
    private readonly Func<ModuleDefinition, int> _moduleId;
    private readonly Dictionary<MemberReference, IMemberDefinition?> _resolved = new(ReferenceEqualityComparer.Instance);

    /// <param name="moduleId">The index of a module in the run's <see cref="CodeModules"/>.</param>
    public IlCompiler(Func<ModuleDefinition, int> moduleId) => _moduleId = moduleId;

    public CompiledMethod Method(MethodDefinition method)
    {
        var ops = new List<CodeOp>();
        if (!method.IsPInvokeImpl && method.HasBody)
        {
            string? lastString = null;
            var linux = LiveCode.Reachable(method.Body, LinuxConstants.ValueOf);
            // What still runs when the method's flag is false; the rest of what runs on Linux needs it true.
            var flag = LastFlag.Of(method);
            var unflagged = flag is null ? linux : LiveCode.Reachable(method.Body, i => LinuxConstants.ValueOf(i) ?? (LastFlag.Loads(i, flag) ? false : null));
            var targets = LiveCode.BranchTargets(method.Body);
            var typeArguments = new HashSet<(CodeRef, bool)>();
            foreach (var instruction in method.Body.Instructions)
            {
                if (!linux.Contains(instruction))
                {
                    lastString = null;
                    continue;
                }
                var code = instruction.OpCode.Code;
                var first = ops.Count;
                switch (instruction.Operand)
                {
                    case MethodReference target:
                        Call(ops, code, instruction, target, lastString, flag, targets);
                        break;
                    case TypeReference type when code is Code.Ldtoken:
                        Construct(ops, type, instruction.Offset);
                        break;
                    case TypeReference type when code is Code.Box or Code.Initobj:
                        if (Resolve(type) is { } boxed)
                            ops.Add(new CodeOp(OpKind.Instantiate, Ref(boxed), instruction.Offset, null));
                        break;
                    case FieldReference field when code is Code.Ldsfld or Code.Stsfld or Code.Ldsflda:
                        if (Resolve(field.DeclaringType) is { } owner)
                            ops.Add(new CodeOp(OpKind.ReachStaticConstructor, Ref(owner), instruction.Offset, null));
                        break;
                }
                TypeArguments(ops, instruction, !unflagged.Contains(instruction), typeArguments);
                if (!unflagged.Contains(instruction))
                {
                    for (var i = first; i < ops.Count; i++)
                        ops[i] = ops[i] with { Flagged = true };
                }
                lastString = code is Code.Ldstr ? (string)instruction.Operand : null;
            }
        }
        var pinvoke = method.IsPInvokeImpl;
        return new CompiledMethod(method.DeclaringType.MetadataToken.ToInt32(), method.Name, pinvoke,
            pinvoke ? method.PInvokeInfo?.Module?.Name ?? "" : "", pinvoke ? method.PInvokeInfo?.EntryPoint ?? method.Name : "", [.. ops]);
    }

    public CompiledType Type(TypeDefinition type)
    {
        var baseType = type.BaseType is { } b && Resolve(b) is { } resolvedBase ? Ref(resolvedBase) : CodeRef.None;
        var outer = type.DeclaringType is { } o && o.Name.StartsWith('<') ? Ref(o) : CodeRef.None;
        return new CompiledType(
            TypeName(type),
            type.Namespace,
            type.IsAbstract || type.IsInterface,
            baseType,
            outer,
            type.Methods.FirstOrDefault(m => m.IsConstructor && m.IsStatic)?.MetadataToken.ToInt32() ?? 0,
            [.. type.Methods.Where(m => m.IsConstructor && !m.IsStatic).Select(m => m.MetadataToken.ToInt32())],
            [.. type.Methods.Where(m => m.IsVirtual && !m.IsAbstract).Select(m => new VirtualMethod(m.MetadataToken.ToInt32(), Key(m.Name, m.Parameters.Count), [.. Slots(type, m)]))],
            [.. type.Methods.Where(m => m.IsStatic && !m.IsConstructor).Select(m => m.MetadataToken.ToInt32())],
            [.. InterfaceSlots(type, instance: true)],
            [.. StaticVirtuals(type)]);
    }

    // A static method implements an interface's static virtual member explicitly (.override, what C# emits) or, for
    // other compilers, by name and arity: both only widen what a call through T reaches.
    private IEnumerable<VirtualMethod> StaticVirtuals(TypeDefinition type)
    {
        var implicitSlots = InterfaceSlots(type, instance: false).ToLookup(slot => slot[(slot.LastIndexOf("::", StringComparison.Ordinal) + 2)..], StringComparer.Ordinal);
        foreach (var m in type.Methods.Where(m => m.IsStatic && !m.IsConstructor && !m.IsAbstract))
        {
            var key = Key(m.Name, m.Parameters.Count);
            string[] slots = [.. m.Overrides.Select(o => Slot(o.DeclaringType, o.Name, o.Parameters.Count)).Concat(implicitSlots[key]).Distinct(StringComparer.Ordinal)];
            if (slots.Length > 0)
                yield return new VirtualMethod(m.MetadataToken.ToInt32(), key, slots);
        }
    }

    public CodeRef Ref(IMemberDefinition definition) =>
        new(_moduleId(((MemberReference)definition).Module), ((IMetadataTokenProvider)definition).MetadataToken.ToInt32());

    private void Call(List<CodeOp> ops, Code code, Instruction instruction, MethodReference target, string? lastString, ParameterDefinition? callersFlag, HashSet<Instruction> targets)
    {
        var offset = instruction.Offset;
        if (target is GenericInstanceMethod generic)
        {
            foreach (var argument in generic.GenericArguments)
                Construct(ops, argument, offset);
        }
        if (Resolve(target) is not { } resolved)
            return;
        if (IsReflectionByName(resolved))
            ops.Add(new CodeOp(OpKind.ReflectByName, CodeRef.None, offset, lastString));
        var flag = LastFlag.Passed(instruction, resolved, callersFlag, targets);
        // A static virtual member is called through `constrained. T call` (or ldftn): T's implementation runs.
        if ((code is Code.Callvirt or Code.Ldvirtftn || resolved.IsStatic) && resolved.IsVirtual)
            ops.Add(new CodeOp(OpKind.Dispatch, Ref(resolved), offset, Slot(resolved.DeclaringType, resolved.Name, resolved.Parameters.Count), Flag: flag));
        if (!resolved.IsAbstract)
            ops.Add(new CodeOp(OpKind.Reach, Ref(resolved), offset, null, Flag: flag));
        if (code is Code.Newobj)
            ops.Add(new CodeOp(OpKind.Instantiate, Ref(resolved.DeclaringType), offset, null));
    }

    // The types an instruction gives as generic arguments, once per method (once more outside flagged code when
    // first met inside it).
    private void TypeArguments(List<CodeOp> ops, Instruction instruction, bool flagged, HashSet<(CodeRef, bool)> seen)
    {
        var generic = instruction.Operand switch
        {
            MethodReference m => m.DeclaringType,
            FieldReference f => f.DeclaringType,
            TypeReference t => t,
            _ => null,
        };
        var constrained = instruction.OpCode.Code is Code.Constrained;
        // Most instructions name no generic instance: nothing to collect (this runs for every instruction compiled).
        if (generic is null || !constrained && generic is not TypeSpecification)
            return;
        var found = new List<TypeReference>();
        if (constrained)
            found.Add(generic);
        Arguments(generic, found);
        foreach (var argument in found)
        {
            if (argument.GetElementType() is GenericParameter || Resolve(argument) is not { } type)
                continue;
            var target = Ref(type);
            if (seen.Contains((target, false)) || !seen.Add((target, flagged)))
                continue;
            ops.Add(new CodeOp(OpKind.TypeArgument, target, instruction.Offset, null, Flagged: flagged));
        }
    }

    private static void Arguments(TypeReference? reference, List<TypeReference> found)
    {
        if (reference is TypeSpecification { ElementType: var element } and not GenericInstanceType)
            Arguments(element, found);
        if (reference is not GenericInstanceType g)
            return;
        foreach (var argument in g.GenericArguments)
        {
            if (argument is not TypeSpecification || argument is GenericInstanceType)
                found.Add(argument);
            Arguments(argument, found);
        }
    }

    private void Construct(List<CodeOp> ops, TypeReference reference, int offset)
    {
        if (reference is GenericInstanceType g)
        {
            foreach (var argument in g.GenericArguments)
                Construct(ops, argument, offset);
        }
        if (reference.GetElementType() is GenericParameter || Resolve(reference) is not { } type)
            return;
        ops.Add(new CodeOp(OpKind.Construct, Ref(type), offset, null));
    }

    private static bool IsReflectionByName(MethodDefinition method) =>
        method.Name == "GetType" && method.IsStatic && method.Parameters.Count > 0 && method.Parameters[0].ParameterType.MetadataType == MetadataType.String
            && method.DeclaringType.FullName == "System.Type";

    // Name/arity: overloads of one arity share a slot, which only ever widens what a call reaches.
    private static string Key(string name, int arity) => string.Concat(name.AsSpan(name.LastIndexOf('.') + 1), "/", arity.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Slot(TypeReference declaring, string name, int arity) => string.Concat(TypeName(declaring), "::", Key(name, arity));

    // A call on Base::M reaches an override in any type below Base: the method fills its own type's slot and that of
    // each base type declaring a virtual of its key (whether or not it overrides it: a newslot only widens), and the
    // slots it names explicitly (.override: explicit interface implementations, covariant returns).
    private IEnumerable<string> Slots(TypeDefinition type, MethodDefinition method)
    {
        yield return Slot(type, method.Name, method.Parameters.Count);
        for (var b = type.BaseType is { } first ? Resolve(first) : null; b is not null; b = b.BaseType is { } next ? Resolve(next) : null)
        {
            if (b.Methods.Any(m => m.IsVirtual && m.Name == method.Name && m.Parameters.Count == method.Parameters.Count))
                yield return Slot(b, method.Name, method.Parameters.Count);
        }
        foreach (var o in method.Overrides)
            yield return Slot(o.DeclaringType, o.Name, o.Parameters.Count);
    }

    // Every slot of every interface the type declares, with the interfaces those inherit: an instantiated type's
    // virtual of the same key may fill it implicitly. Instance slots, or the static virtual ones.
    private IEnumerable<string> InterfaceSlots(TypeDefinition type, bool instance)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<TypeReference>(type.Interfaces.Select(i => i.InterfaceType));
        while (pending.TryPop(out var reference))
        {
            if (Resolve(reference) is not { } definition || !seen.Add(TypeName(definition)))
                continue;
            foreach (var m in definition.Methods.Where(m => m.IsVirtual && m.IsStatic != instance))
                yield return Slot(definition, m.Name, m.Parameters.Count);
            foreach (var inherited in definition.Interfaces)
                pending.Push(inherited.InterfaceType);
        }
    }

    // A reference that does not resolve (a missing or Windows-only assembly) is not walked.
    public TypeDefinition? Resolve(TypeReference type)
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
