using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Shelf.MSTest.Tests;

[TestClass]
public class LabelTests
{
    [TestMethod]
    public void A_label_links_to_its_item()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        Assert.AreEqual(Path.Combine(dir, "jam"), Links.Label(dir, "jam"));
    }
}
