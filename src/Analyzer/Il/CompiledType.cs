namespace Portcullis.Analyzer.Il;

/// <summary>
/// What reachability needs of a type: its name (Namespace.Type, nested Outer/Inner, no arity) and Cecil's namespace,
/// whether it can be created, its base type, the compiler-generated type it is nested in (a lambda's closure class
/// lives as long as its outer), and its static constructor (0: none), constructors, overridable methods with the
/// slots each fills, static methods (what a type looked up by name is called through), and the slots of every
/// interface it declares it implements, inherited interfaces included (Interface::Name/arity), and its static
/// methods that implement an interface's static virtual members, with the slots each fills.
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
    int[] StaticMethods,
    string[] InterfaceSlots,
    VirtualMethod[] StaticVirtuals);

/// <summary>
/// A non-abstract virtual method, its key (Name/arity, what an interface method it implements implicitly has too),
/// and the class slots it fills (Type::Name/arity for its own type and each base type that declares a virtual of
/// that key) and the slots it implements explicitly. The interface slots it fills implicitly depend on the type
/// instantiated (a base class's method may implement a derived class's interface), so reachability adds them.
/// </summary>
internal readonly record struct VirtualMethod(int Token, string Key, string[] Slots);
