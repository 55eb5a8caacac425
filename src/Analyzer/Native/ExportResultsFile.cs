namespace Portcullis.Analyzer.Native;

/// <summary>The on-disk form of <see cref="ExportResults"/>: valid for this analyzer build and while every input file is unchanged. <see cref="Opened"/>: what the libraries the library opens import; <see cref="InTables"/>: what the functions they keep in data reach.</summary>
internal sealed record ExportResultsFile(int Version, Guid Analyzer, IReadOnlyList<FileStamp> Inputs, IReadOnlyDictionary<string, ExportResult> Exports, ExportResult? Opened, ExportResult? InTables);
