using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// A ValidatingAdmissionPolicy's CEL evaluated on one AdmissionRequest by a real CEL implementation
/// (@marcbachmann/cel-js, pinned by tests/cel/package-lock.json and installed with `npm ci`), driven by
/// tests/cel/admission.mjs the way kube-apiserver drives cel-go. One node process serves the whole test run.
/// </summary>
public sealed class CelAdmission
{
    private static readonly Lazy<CelAdmission> Instance = new(() => new CelAdmission());
    private readonly Process _node;
    private readonly Lock _gate = new();

    private CelAdmission()
    {
        var node = Requires.Tool("node", "nodejs");
        var npm = Requires.Tool("npm", "npm");
        var dir = Path.Combine(Repo.Root, "tests", "cel");
        if (!File.Exists(Path.Combine(dir, "node_modules", "@marcbachmann", "cel-js", "package.json")))
        {
            var (code, output) = Requires.Run(npm, "ci", "--prefix", dir, "--no-audit", "--no-fund");
            Assert.True(code == 0, "npm ci in tests/cel failed: " + output);
        }
        var start = new ProcessStartInfo(node) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(dir, "admission.mjs"));
        _node = Process.Start(start)!;
        _node.ErrorDataReceived += (_, _) => { };
        _node.BeginErrorReadLine();
    }

    public static CelAdmission Shared => Instance.Value;

    /// <returns>whether the policy's matchConditions select the request, and each validation that failed</returns>
    public (bool Matched, IReadOnlyList<string> Violations) Evaluate(JsonNode policySpec, JsonObject request)
    {
        var job = new JsonObject { ["policy"] = policySpec.DeepClone(), ["request"] = request.DeepClone() }.ToJsonString();
        string? line;
        lock (_gate)
        {
            _node.StandardInput.WriteLine(job);
            _node.StandardInput.Flush();
            line = _node.StandardOutput.ReadLine();
        }
        Assert.True(line is not null, "the CEL evaluator (node tests/cel/admission.mjs) stopped");
        var answer = JsonNode.Parse(line)!;
        return (answer["matched"]!.GetValue<bool>(), answer["violations"]!.AsArray().Select(v => v!.GetValue<string>()).ToList());
    }
}
