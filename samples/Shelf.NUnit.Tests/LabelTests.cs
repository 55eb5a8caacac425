namespace Shelf.NUnit.Tests;

public class LabelTests
{
    [Test]
    public void A_label_links_to_its_item()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        Assert.That(Links.Label(dir, "jam"), Is.EqualTo(Path.Combine(dir, "jam")));
    }
}
