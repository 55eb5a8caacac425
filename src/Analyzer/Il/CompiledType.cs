namespace Portcullis.Analyzer.Il;

/// <summary>
/// What reachability needs of a type: its name (Namespace.Type, nested Outer/Inner, no arity) and Cecil's namespace,
/// whether it can be created, its base type, the compiler-generated type it is nested in (a lambda's closure class
/// lives as long as its outer), and its static constructor (0: none), constructors, overridable methods with the
/// slots each fills, and static methods (what a type looked up by name is called through).
/// </summary>
internal sealed record CompiledType(
    string Name,
    string Namespace,
    bool IsAbstract,
    CodeRef Base,
    CodeRef CompilerGeneratedOuter,
    int StaticConstructor,
    int[] Constructors,
    VirtualMethod[] Virtuals,
    int[] StaticMethods);

/// <summary>A non-abstract virtual method and the slots (name/arity) it fills: its own and those it explicitly implements.</summary>
internal readonly record struct VirtualMethod(int Token, string[] Slots);
