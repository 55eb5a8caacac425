using Prometheus;

namespace Portcullis.Runtime.Hosting;

/// <summary>Every Prometheus metric the runtime exports, in one place.</summary>
public static class RuntimeMetrics
{
    public static readonly Counter Admissions = Metrics.CreateCounter(
        "portcullis_admissions_total", "Pod admissions by decision (bound, unchanged, skipped, failed).", "decision");

    public static readonly Histogram AdmissionSeconds = Metrics.CreateHistogram(
        "portcullis_admission_duration_seconds", "Time to answer one AdmissionReview.",
        new HistogramConfiguration { Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    public static readonly Counter RegistryLookups = Metrics.CreateCounter(
        "portcullis_registry_requests_total", "Registry lookups by kind (tag, manifest, referrers, artifact).", "kind");

    public static readonly Counter RegistryCache = Metrics.CreateCounter(
        "portcullis_registry_cache_total", "Image profile cache lookups by result (hit, miss).", "result");

    public static readonly Gauge Profiles = Metrics.CreateGauge(
        "portcullis_profiles", "Profiles by type and phase, as the controller last saw them.", "type", "phase");

    public static readonly Gauge NodeProfiles = Metrics.CreateGauge(
        "portcullis_node_profiles", "Profiles on this node by type and state, as the agent last wrote them.", "type", "state");

    public static readonly Counter Errors = Metrics.CreateCounter(
        "portcullis_errors_total", "Errors by role and stage.", "role", "stage");

    public static readonly Gauge GatedPods = Metrics.CreateGauge(
        "portcullis_gated_pods", "Pods waiting behind the portcullis.dev/profiles scheduling gate.");
}
