namespace Portcullis.Analyzer.Native;

/// <summary>
/// What a P/Invoke into one export makes, as <see cref="Passes.NativeSide"/> computed it: the syscalls with their
/// native path (consecutive syscalls of one path together), whether the library lacks the export, and the libc
/// functions on the way whose syscalls are not known (each with the path that reached it), kept so that a cached
/// answer warns as the computed one did. <see cref="ThroughOpened"/>: it also calls through a pointer that may reach
/// any function the library keeps in data (SQLite's io methods: unixSync makes fsync) and what the libraries it
/// opens import, which is the same for every export and so kept once per library.
/// <see cref="ThroughTables"/>: a library it reaches through dlsym calls through a pointer, which may land on any
/// function those libraries keep in data (<see cref="DynamicLinking.PointerTargets"/>), also kept once per library.
/// </summary>
internal sealed record ExportResult(IReadOnlyList<ViaSyscalls> Found, bool Missing, IReadOnlyList<UnknownFunction> Unknown, bool ThroughOpened = false, bool ThroughTables = false);

/// <summary>A native path and the syscalls made at its end.</summary>
internal sealed record ViaSyscalls(string Via, IReadOnlyList<string> Syscalls);

/// <summary>A libc function whose syscalls analysis does not know, and the native path that reached it.</summary>
internal sealed record UnknownFunction(string Function, string Via);
