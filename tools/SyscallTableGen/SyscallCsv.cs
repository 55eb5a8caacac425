namespace SyscallTableGen;

/// <summary>libseccomp's src/syscalls.csv: one row per syscall, a number (or PNR) per ABI, each ABI followed by a kernel-version column.</summary>
public sealed record SyscallCsv(string Version, IReadOnlyList<string> Abis, IReadOnlyList<string> Names, IReadOnlyList<int[]> NumbersByAbi)
{
    // The kernel's x32 entry point sees numbers with this bit set; libseccomp's table omits it.
    private const int X32SyscallBit = 0x40000000;

    // libseccomp stores MIPS numbers without their ABI's base, and x32 numbers without the x32 bit.
    private static int ToKernelNumber(string abi, int nr) => abi switch
    {
        "x32" => nr | X32SyscallBit,
        "mips" => nr + 4000,
        "mips64" => nr + 5000,
        "mips64n32" => nr + 6000,
        _ => nr,
    };

    public static SyscallCsv Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines[0].Split(',');
        if (!header[0].StartsWith("#syscall", StringComparison.Ordinal))
            throw new FormatException("line 1: expected the '#syscall (version)' header of libseccomp's syscalls.csv");

        var abiColumns = new List<(string Abi, int Column)>();
        for (var c = 1; c < header.Length; c++)
        {
            if (!header[c].EndsWith("_kver", StringComparison.Ordinal))
                abiColumns.Add((header[c], c));
        }

        var names = new List<string>();
        var numbers = abiColumns.Select(_ => new List<int>()).ToArray();
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw new FormatException($"line {i + 1}: {cells.Length} cells, header has {header.Length}");
            names.Add(cells[0]);
            for (var a = 0; a < abiColumns.Count; a++)
            {
                var cell = cells[abiColumns[a].Column];
                var nr = cell == "PNR" ? -1 : int.Parse(cell, System.Globalization.CultureInfo.InvariantCulture);
                if (nr >= 0)
                    nr = ToKernelNumber(abiColumns[a].Abi, nr);
                numbers[a].Add(nr);
            }
        }

        var version = header[0]["#syscall".Length..].Trim().Trim('(', ')');
        return new SyscallCsv(version, abiColumns.Select(a => a.Abi).ToArray(), names, numbers.Select(n => n.ToArray()).ToArray());
    }
}
