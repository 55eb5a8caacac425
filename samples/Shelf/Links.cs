namespace Shelf;

/// <summary>The tested behaviour: a shelf label is a symbolic link to the item it names.</summary>
public static class Links
{
    public static string Label(string directory, string item)
    {
        var target = Path.Combine(directory, item);
        File.WriteAllText(target, item);
        var label = Path.Combine(directory, item + ".label");
        File.Delete(label);
        File.CreateSymbolicLink(label, target);
        return File.ResolveLinkTarget(label, returnFinalTarget: false)!.FullName;
    }
}
