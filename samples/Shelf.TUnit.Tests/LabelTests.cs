namespace Shelf.TUnit.Tests;

public class LabelTests
{
    [Test]
    public async Task A_label_links_to_its_item()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        await Assert.That(Links.Label(dir, "jam")).IsEqualTo(Path.Combine(dir, "jam"));
    }
}
