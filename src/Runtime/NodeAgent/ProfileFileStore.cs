using System.Text.RegularExpressions;

namespace Portcullis.Runtime.NodeAgent;

/// <summary>
/// The one directory the agent writes on a node. A profile is written atomically: a temp file in the same
/// directory created exclusively with its final mode, fsync, rename over the target, fsync the directory;
/// so the kubelet sees the old profile or the new one, never half of one. Unchanged content is not
/// rewritten. Names are checked, nothing outside the directory is touched, and no symlink is followed:
/// the directory itself must be a real directory, temp files are created with O_EXCL, and rename and
/// unlink act on a link rather than its target.
/// </summary>
public sealed partial class ProfileFileStore
{
    private const string TempPrefix = ".portcullis-tmp-";
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public ProfileFileStore(string directory, string extension)
    {
        Directory = Path.GetFullPath(directory);
        Extension = extension;
    }

    public string Directory { get; }

    public string Extension { get; }

    public string PathOf(string name) => Path.Combine(Directory, Checked(name) + Extension);

    /// <summary>Writes the profile unless the file already holds exactly these bytes; true when it wrote.</summary>
    public bool Write(string name, byte[] content)
    {
        var target = PathOf(name);
        EnsureDirectory();
        var existing = new FileInfo(target);
        if (existing.Exists && existing.LinkTarget is null && existing.Length == content.Length && File.ReadAllBytes(target).AsSpan().SequenceEqual(content))
            return false;

        var temp = Path.Combine(Directory, TempPrefix + name + "-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            }))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        DirectorySync.Flush(Directory);
        return true;
    }

    /// <summary>Removes the profile; true when there was one.</summary>
    public bool Remove(string name)
    {
        var target = PathOf(name);
        if (!File.Exists(target) && new FileInfo(target).LinkTarget is null)
            return false;
        File.Delete(target);
        DirectorySync.Flush(Directory);
        return true;
    }

    /// <summary>The names of the profiles in the directory (files this store could have written).</summary>
    public IReadOnlyList<string> Names()
    {
        if (!System.IO.Directory.Exists(Directory))
            return [];
        return System.IO.Directory.EnumerateFiles(Directory, "*" + Extension)
            .Select(f => Path.GetFileName(f)[..^Extension.Length])
            .Where(IsValidName)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Temp files a crash left between write and rename; removed at start.</summary>
    public int RemoveStaleTemps()
    {
        if (!System.IO.Directory.Exists(Directory))
            return 0;
        var stale = System.IO.Directory.EnumerateFiles(Directory, TempPrefix + "*").ToList();
        foreach (var file in stale)
            File.Delete(file);
        return stale.Count;
    }

    /// <summary>Removes every profile and then the directory, if it is empty (uninstall).</summary>
    public void RemoveAll()
    {
        foreach (var name in Names())
            Remove(name);
        RemoveStaleTemps();
        if (System.IO.Directory.Exists(Directory) && !System.IO.Directory.EnumerateFileSystemEntries(Directory).Any())
            System.IO.Directory.Delete(Directory);
    }

    public static bool IsValidName(string name) => name.Length is > 0 and <= 253 && NamePattern().IsMatch(name) && !name.Contains("..", StringComparison.Ordinal);

    private static string Checked(string name) =>
        IsValidName(name) ? name : throw new ArgumentException($"'{name}' is not a profile name (lowercase letters, digits, '-' and '.', at most 253)");

    private void EnsureDirectory()
    {
        var parent = Path.GetDirectoryName(Directory)!;
        foreach (var dir in new[] { parent, Directory })
        {
            var info = new DirectoryInfo(dir);
            if (info.LinkTarget is not null)
                throw new IOException($"{dir} is a symbolic link; the agent writes only into real directories");
            if (!info.Exists)
                System.IO.Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    // \z, not $: "$" also matches before a final newline, and a name with one is not a file name the kubelet is given.
    [GeneratedRegex(@"\A[a-z0-9]([-a-z0-9.]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
