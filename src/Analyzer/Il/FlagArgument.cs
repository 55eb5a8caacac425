namespace Portcullis.Analyzer.Il;

/// <summary>What a call passes as its callee's last parameter when that is a bool (<see cref="LastFlag"/>).</summary>
internal enum FlagArgument : byte
{
    /// <summary>True, or a value analysis does not know, or the callee takes no such flag: its flagged code may run.</summary>
    Unknown,

    /// <summary>The constant false: the callee's code that runs only when the flag is true does not run for this call.</summary>
    False,

    /// <summary>The caller's own flag, passed on: the callee's flagged code runs when the caller's would.</summary>
    CallersFlag,
}
