using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Portcullis.Runtime.Hosting;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Registry;

namespace Portcullis.Runtime.Webhook;

/// <summary>
/// One admission.k8s.io/v1 AdmissionReview in, its answer out. A pod that cannot be bound (registry down,
/// time budget spent, anything) is admitted unchanged with a warning the client prints and an Event on the
/// pod's namespace; with <see cref="RuntimeOptions.FailClosed"/> it is refused instead. The API is only read.
/// </summary>
public sealed class AdmissionHandler(PodBinder binder, IClusterApi api, RuntimeOptions options, AppArmorSupport appArmor, TimeProvider time, ILogger<AdmissionHandler> log)
{
    // A Deployment of fifty replicas behind a broken registry gives one Event a minute, not fifty.
    private readonly ExpiringCache<string, bool> _announced = new(time, TimeSpan.FromMinutes(1), 10_000);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, bool> _writing = new();
    private (int Major, int Minor)? _version;

    public async Task<JsonObject> ReviewAsync(JsonNode review, CancellationToken cancel)
    {
        var started = Stopwatch.GetTimestamp();
        var request = review["request"] as JsonObject ?? throw new FormatException("the AdmissionReview has no request");
        var uid = request["uid"]?.GetValue<string>() ?? throw new FormatException("the AdmissionReview request has no uid");
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = true };
        var decision = "skipped";
        try
        {
            var (patch, warnings, bound, refusals) = await DecideAsync(request, cancel).ConfigureAwait(false);
            if (refusals.Count > 0)
            {
                var why = string.Join("; ", refusals);
                log.LogWarning("refusing {Namespace}/{Pod}: {Why}", request["namespace"], PodName(request), why);
                Announce(request, refusals);
                RuntimeMetrics.Admissions.WithLabels(Refuse(response, why, "portcullis: the cluster policy refuses a profile the pod's image carries")).Inc();
                RuntimeMetrics.AdmissionSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                return Review(review, response);
            }
            if (patch.Count > 0)
            {
                response["patchType"] = "JSONPatch";
                response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonArray(patch.Select(p => (JsonNode)p.ToJson()).ToArray()).ToJsonString()));
            }
            if (warnings.Count > 0)
            {
                response["warnings"] = new JsonArray(warnings.Select(w => (JsonNode)JsonValue.Create("portcullis: " + w)!).ToArray());
                Announce(request, warnings);
            }
            decision = bound ? "bound" : warnings.Count > 0 ? "failed" : decision;
            if (options.FailClosed && warnings.Count > 0)
                decision = Refuse(response, string.Join("; ", warnings));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            // Fail open unless asked to fail closed: a webhook that refuses pods takes the cluster down with it.
            decision = "failed";
            var why = e is OperationCanceledException ? $"no answer within {options.AdmissionBudget.TotalSeconds:0.#} s" : e.Message;
            log.LogWarning("{What} {Namespace}/{Pod}: {Why}", options.FailClosed ? "refusing" : "admitting unchanged", request["namespace"], PodName(request), why);
            var outcome = options.FailClosed ? "refused" : "admitted without profiles";
            response["warnings"] = new JsonArray(JsonValue.Create($"portcullis: {outcome}: {why}"));
            Announce(request, [$"{outcome}: {why}"]);
            RuntimeMetrics.Errors.WithLabels("webhook", "admission").Inc();
            if (options.FailClosed)
                decision = Refuse(response, why);
        }
        RuntimeMetrics.Admissions.WithLabels(decision).Inc();
        RuntimeMetrics.AdmissionSeconds.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return Review(review, response);
    }

    private static JsonObject Review(JsonNode review, JsonObject response) => new()
    {
        ["apiVersion"] = review["apiVersion"]?.GetValue<string>() ?? "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["response"] = response,
    };

    private async Task<(IReadOnlyList<PatchOperation> Patch, IReadOnlyList<string> Warnings, bool Bound, IReadOnlyList<string> Refusals)> DecideAsync(JsonObject request, CancellationToken cancel)
    {
        var ns = request["namespace"]?.GetValue<string>();
        if (request["operation"]?.GetValue<string>() != "CREATE"
            || request["kind"]?["kind"]?.GetValue<string>() != "Pod"
            || request["subResource"]?.GetValue<string>() is { Length: > 0 }
            || options.IsExcluded(ns)
            || request["object"] is not JsonObject pod
            || pod["metadata"]?["annotations"]?[RuntimeNames.OptOutAnnotation]?.GetValue<string>() == "disabled")
            return ([], [], false, []);

        using var deadline = new CancellationTokenSource(options.AdmissionBudget, time);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancel, deadline.Token);
        var bindAppArmor = await appArmor.BindAsync(budget.Token).ConfigureAwait(false);
        var (bindings, problems, refusals) = await binder.BindAsync(pod, ns!, bindAppArmor, budget.Token).ConfigureAwait(false);
        if (refusals.Count > 0)
            return ([], problems, false, refusals);
        var gate = pod["spec"]?["nodeName"] is null;
        var patch = PodMutator.Patch(pod, bindings, options.Mode, gate);
        if (gate && options.Mode == BindingMode.Localhost && patch.Count > 0 && !await KeepsSchedulingGatesAsync(budget.Token).ConfigureAwait(false))
            problems = [.. problems, $"the API server ({_version!.Value.Major}.{_version.Value.Minor}) drops scheduling gates (they need Kubernetes 1.27 or later): the pod may start before its profiles are on its node and fail to start"];
        return (patch, problems, patch.Count > 0, []);
    }

    /// <summary>Scheduling gates are kept from Kubernetes 1.27 (beta, on by default); an older server drops the field silently.</summary>
    private async Task<bool> KeepsSchedulingGatesAsync(CancellationToken cancel)
    {
        try
        {
            _version ??= await api.ServerVersionAsync(cancel).ConfigureAwait(false);
        }
        catch (ClusterApiException)
        {
            return true; // unknown: say nothing rather than something wrong
        }
        return _version.Value.Major > 1 || _version.Value.Minor >= 27;
    }

    /// <summary>Fail closed: the pod is refused, nothing is patched, and the client is told why.</summary>
    private static string Refuse(JsonObject response, string why, string message = "portcullis (fail-closed): the pod cannot be bound to its profiles")
    {
        response["allowed"] = false;
        response.Remove("patch");
        response.Remove("patchType");
        response["status"] = new JsonObject
        {
            ["code"] = 403,
            ["reason"] = "Forbidden",
            ["message"] = $"{message}: {why}",
        };
        return "refused";
    }

    private static string PodName(JsonObject request) =>
        request["name"]?.GetValue<string>() is { Length: > 0 } name ? name
        : request["object"]?["metadata"]?["name"]?.GetValue<string>()
          ?? request["object"]?["metadata"]?["generateName"]?.GetValue<string>() + "<generated>";

    /// <summary>An Event for people who did not see the client's warnings; never for dry runs, which must have no effects.</summary>
    private void Announce(JsonObject request, IReadOnlyList<string> warnings)
    {
        if (request["dryRun"]?.GetValue<bool>() == true || request["namespace"]?.GetValue<string>() is not { } ns)
            return;
        var name = PodName(request);
        var now = time.GetUtcNow().UtcDateTime;
        var message = string.Join("; ", warnings);
        if (_announced.TryGet(ns + "\n" + message, out _))
            return;
        _announced.Set(ns + "\n" + message, true);
        var ev = WarningEvent.Pod(ns, name, null, "ProfileNotBound", message, "portcullis-webhook", now);
        var writing = Task.Run(async () =>
        {
            try
            {
                await api.CreateAsync(ev).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ClusterApiException or HttpRequestException or JsonException)
            {
                RuntimeMetrics.Errors.WithLabels("webhook", "event").Inc();
            }
        });
        _writing[writing] = true;
        writing.ContinueWith(t => _writing.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Completes when every Event this handler started writing is written (or failed): what tests wait on instead of a timer.</summary>
    public Task EventsWrittenAsync() => Task.WhenAll(_writing.Keys);
}
