using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Portcullis.Profiles.Diagnostics;
using Portcullis.Profiles.Documents;
using Portcullis.Profiles.Generation;
using Portcullis.Profiles.Recordings;
using Portcullis.Profiles.Seccomp;

namespace Portcullis.Harness.Tests;

/// <summary>
/// Inventory's tests host it in memory (WebApplicationFactory: no socket is ever opened) and never call /export.
/// Under the profile the package made from recording and analysis, the container serves every endpoint
/// over real HTTP, /export included; under a profile from the recording alone it cannot even listen.
/// </summary>
[Collection(SamplesCollection.Name)]
public sealed class InventoryContainerTests(SampleImagesFixture images)
{
    [Theory]
    [InlineData("runc")]
    [InlineData("crun")]
    public async Task Every_endpoint_works_under_the_generated_profile_including_the_untested_export(string runtime)
    {
        var profile = JsonNode.Parse((await SampleImagesFixture.PullSeccompAsync(images.Inventory)).Content)!;
        Assert.Null(await ServerContainer.RunAsync(images.Inventory, runtime, profile, DriveAsync, stopGracefully: true));
    }

    [Fact]
    public async Task A_profile_from_the_recorded_tests_alone_cannot_serve()
    {
        var recording = RecordingJson.Read(images.InventoryRecording);
        Assert.DoesNotContain(recording.Syscalls, s => s.Name == "listen");
        var recordedOnly = SeccompGenerator.Generate(new GenerationRequest
        {
            Recordings = [new LabeledRecording("Inventory.Tests", recording)],
            Evidence = [.. DotnetRuntimeBase.Evidence],
        }, new DiagnosticBag()).Profile;
        var json = JsonNode.Parse(DocJsonWriter.Write(SeccompWriter.ToDoc(recordedOnly)))!;
        Assert.NotNull(await ServerContainer.RunAsync(images.Inventory, "runc", json, DriveAsync));
    }

    [Fact]
    public void The_report_says_why_the_server_syscalls_are_there()
    {
        var report = File.ReadAllText(Path.Combine(images.InventoryProfiles, "report.md"));
        Assert.Contains("no recorded test ever listened", report, StringComparison.Ordinal);
        Assert.Matches(@"\| `listen` \| predicted: Program::<Main>\$ \(Program\.cs:\d+\)", report);
        Assert.Contains("Portcullis: analysing Inventory", images.InventoryPublishLog, StringComparison.Ordinal);
    }

    private static async Task DriveAsync(HttpClient http, CancellationToken cancel)
    {
        var created = await http.PostAsJsonAsync("/items", new { name = "bolts", quantity = 40 }, cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var item = (await created.Content.ReadFromJsonAsync<JsonObject>(cancel))!;
        Assert.Contains("bolts", await http.GetStringAsync("/items", cancel), StringComparison.Ordinal);
        var export = await http.PostAsync("/export", null, cancel);
        Assert.True(export.IsSuccessStatusCode, "export: " + await export.Content.ReadAsStringAsync(cancel));
        Assert.Contains(".csv.gz", await export.Content.ReadAsStringAsync(cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"/items/{item["id"]}", cancel)).StatusCode);
    }
}
