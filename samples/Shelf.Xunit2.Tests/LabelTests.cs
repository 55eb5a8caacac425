namespace Shelf.Xunit2.Tests;

public class LabelTests
{
    [Fact]
    public void A_label_links_to_its_item()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        Assert.Equal(Path.Combine(dir, "jam"), Links.Label(dir, "jam"));
    }
}
