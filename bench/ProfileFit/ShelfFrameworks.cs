/// <summary>The test frameworks of samples/Shelf.*.Tests (the harness's matrix): Microsoft.Testing.Platform and VSTest alike.</summary>
internal static class ShelfFrameworks
{
    public static readonly string[] Names = ["XunitV3", "Xunit2", "NUnit", "MSTest", "MSTestSdk", "TUnit", "WebFactory"];
}
