namespace Portcullis.Analyzer.Il;

/// <summary>What an instruction means to reachability; <see cref="CodeOp"/> says which definition it names.</summary>
internal enum OpKind : byte
{
    /// <summary>A direct call, delegate or constructor call: the target runs.</summary>
    Reach,

    /// <summary>A call through a virtual slot (<see cref="CodeOp.Text"/>: name/arity): every instantiated override runs.</summary>
    Dispatch,

    /// <summary>newobj, box or initobj: the type exists, so its overrides can be dispatched to.</summary>
    Instantiate,

    /// <summary>typeof or a generic method's type argument: reflection (DI, hosts) may create the type.</summary>
    Construct,

    /// <summary>A static field is touched: its type's static constructor runs.</summary>
    ReachStaticConstructor,

    /// <summary>
    /// A type given as a generic argument (of a method, or of the type a member belongs to), or named by a
    /// <c>constrained.</c> prefix: code inside the generic may call its static virtual members through T.
    /// </summary>
    TypeArgument,

    /// <summary>Type.GetType with <see cref="CodeOp.Text"/> the constant before it, or null when the name is not a constant.</summary>
    ReflectByName,
}
