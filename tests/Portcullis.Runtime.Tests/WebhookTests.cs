using System.Text.Json.Nodes;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.Resources;

namespace Portcullis.Runtime.Tests;

/// <summary>The webhook over HTTPS with AdmissionReviews shaped exactly like the API server's (one captured from kube-apiserver 1.32).</summary>
public sealed class WebhookTests(WebhookLab lab) : IClassFixture<WebhookLab>
{
    private JsonNode CapturedReview(Func<string, string>? edit = null)
    {
        var text = File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create-generatename-v1.32.json"))
            .Replace("registry.example.com/shop/checkout@sha256:0b1d6f2a5c3e4d7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7", $"{lab.Registry}/shop/checkout@{lab.CheckoutDigest}", StringComparison.Ordinal)
            .Replace("registry.example.com/", lab.Registry + "/", StringComparison.Ordinal);
        return JsonNode.Parse(edit is null ? text : edit(text))!;
    }

    [Fact]
    public async Task A_pod_from_the_captured_review_is_bound_pinned_gated_and_steered_and_nothing_else_changes()
    {
        var review = CapturedReview();
        var answer = await lab.ReviewAsync(review);

        Assert.Equal(review["request"]!["uid"]!.GetValue<string>(), answer["response"]!["uid"]!.GetValue<string>());
        Assert.True(answer["response"]!["allowed"]!.GetValue<bool>());
        Assert.Null(answer["response"]!["warnings"]);
        var pod = WebhookLab.Patched(review, answer);

        var expected = review["request"]!["object"]!.DeepClone().AsObject();
        var seccomp = $"portcullis/sha256-{lab.CheckoutSeccompArtifact.Hex}.json";
        expected["spec"]!["containers"]![0]!["securityContext"] = new JsonObject
        {
            ["seccompProfile"] = new JsonObject { ["type"] = "Localhost", ["localhostProfile"] = seccomp },
            ["appArmorProfile"] = new JsonObject { ["type"] = "Localhost", ["localhostProfile"] = $"portcullis-sha256-{lab.CheckoutAppArmorArtifact.Hex}" },
        };
        expected["spec"]!["initContainers"]![0]!["image"] = $"{lab.Registry}/shop/migrate@{lab.MigrateDigest}";
        expected["spec"]!["initContainers"]![0]!["securityContext"] = new JsonObject
        {
            ["seccompProfile"] = new JsonObject { ["type"] = "Localhost", ["localhostProfile"] = $"portcullis/sha256-{lab.MigrateSeccompArtifact.Hex}.json" },
        };
        expected["spec"]!["schedulingGates"] = new JsonArray(new JsonObject { ["name"] = "portcullis.dev/profiles" });
        expected["spec"]!["affinity"] = JsonNode.Parse("""
            {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[
              {"key":"portcullis.dev/agent-ready","operator":"In","values":["true"]},
              {"key":"portcullis.dev/apparmor","operator":"In","values":["true"]}]}]}}}
            """);
        expected["metadata"]!["labels"]!["portcullis.dev/bound"] = "true";

        var bindings = BindingRecord.Read(new Dictionary<string, string> { ["portcullis.dev/bindings"] = pod["metadata"]!["annotations"]!["portcullis.dev/bindings"]!.GetValue<string>() });
        pod["metadata"]!.AsObject().Remove("annotations");
        Assert.True(JsonNode.DeepEquals(expected, pod), $"expected\n{expected}\nbut the patched pod is\n{pod}");

        Assert.Equal(["migrate", "api"], bindings.Select(b => b.Container));
        Assert.Equal($"{lab.Registry}/shop/checkout@{lab.CheckoutSeccompArtifact}", bindings[1].Seccomp!.Artifact);
        Assert.Equal(lab.CheckoutDigest.ToString(), bindings[1].Seccomp!.Subject);
        Assert.Equal($"{lab.Registry}/shop/migrate:1.4", bindings[0].Image);
        Assert.Equal($"{lab.Registry}/shop/migrate@{lab.MigrateDigest}", bindings[0].PinnedImage);
    }

    [Fact]
    public async Task A_container_without_privilege_escalation_gets_the_no_new_privs_variant_and_one_with_it_the_default()
    {
        // what the restricted Pod Security Standard makes every container say; the init container says the opposite
        var review = CapturedReview(t => t.Replace("\"uid\":\"0d07b3e6", "\"uid\":\"2d07b3e6", StringComparison.Ordinal));
        var spec = review["request"]!["object"]!["spec"]!;
        spec["containers"]![0]!["securityContext"] = new JsonObject { ["allowPrivilegeEscalation"] = false };
        spec["initContainers"]![0]!["securityContext"] = new JsonObject { ["allowPrivilegeEscalation"] = true };

        var pod = WebhookLab.Patched(review, await lab.ReviewAsync(review));

        Assert.Equal($"portcullis/nnp/sha256-{lab.CheckoutSeccompArtifact.Hex}.json", pod["spec"]!["containers"]![0]!["securityContext"]!["seccompProfile"]!["localhostProfile"]!.GetValue<string>());
        Assert.False(pod["spec"]!["containers"]![0]!["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.Equal($"portcullis/sha256-{lab.MigrateSeccompArtifact.Hex}.json", pod["spec"]!["initContainers"]![0]!["securityContext"]!["seccompProfile"]!["localhostProfile"]!.GetValue<string>());
        // the controller finds the resource behind either path
        Assert.Equal($"sha256-{lab.CheckoutSeccompArtifact.Hex}", ProfileNames.SeccompResourceOf($"portcullis/nnp/sha256-{lab.CheckoutSeccompArtifact.Hex}.json"));
    }

    [Fact]
    public async Task The_webhook_only_reads_the_API()
    {
        lab.Api.Calls.Clear();
        await lab.ReviewAsync(CapturedReview(t => t.Replace("\"uid\":\"0d07b3e6", "\"uid\":\"1d07b3e6", StringComparison.Ordinal)));
        Assert.All(lab.Api.Calls, call => Assert.Matches("^(get|list) ", call));
    }

    [Theory]
    [InlineData("\"namespace\":\"shop\",\"operation\":\"CREATE\"", "\"namespace\":\"kube-system\",\"operation\":\"CREATE\"")]
    [InlineData("\"namespace\":\"shop\",\"operation\":\"CREATE\"", "\"namespace\":\"portcullis-system\",\"operation\":\"CREATE\"")]
    [InlineData("\"operation\":\"CREATE\"", "\"operation\":\"UPDATE\"")]
    [InlineData("\"labels\":{\"app\":\"checkout\"}", "\"labels\":{\"app\":\"checkout\"},\"annotations\":{\"portcullis.dev/bind\":\"disabled\"}")]
    public async Task Pods_it_must_not_touch_are_admitted_unchanged(string from, string to)
    {
        var review = CapturedReview(t =>
        {
            Assert.Contains(from, t, StringComparison.Ordinal);
            return t.Replace(from, to, StringComparison.Ordinal);
        });
        var answer = await lab.ReviewAsync(review);
        Assert.True(answer["response"]!["allowed"]!.GetValue<bool>());
        Assert.Null(answer["response"]!["patch"]);
    }

    [Fact]
    public async Task The_published_kubectl_run_review_with_an_unreachable_registry_is_admitted_unchanged_within_the_budget_with_a_warning_and_an_event()
    {
        var review = JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        // The image (nginx on Docker Hub) cannot be reached from here: the webhook must fail open, not hang.
        review["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = "127.0.0.1:1/library/nginx:latest";
        lab.Api.Calls.Clear();
        // The webhook's clock never moves here: the answer comes from the refused connection, not from a budget running out.
        var answer = await lab.ReviewAsync(review);
        Assert.True(answer["response"]!["allowed"]!.GetValue<bool>());
        Assert.Null(answer["response"]!["patch"]);
        var warning = Assert.Single(answer["response"]!["warnings"]!.AsArray())!.GetValue<string>();
        Assert.Contains("127.0.0.1:1", warning, StringComparison.Ordinal);
        await lab.EventsWrittenAsync();
        Assert.Contains("create Event", lab.Api.Calls);
    }

    [Fact]
    public async Task A_registry_that_never_answers_costs_one_time_budget_for_the_whole_pod_and_the_pod_is_admitted_unchanged()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel does) and never says a word
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var review = JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        var containers = review["request"]!["object"]!["spec"]!["containers"]!.AsArray();
        containers[0]!["image"] = $"127.0.0.1:{port}/library/nginx:latest";
        foreach (var name in new[] { "second", "third" })
            containers.Add(new JsonObject { ["name"] = name, ["image"] = $"127.0.0.1:{port}/library/{name}:latest" });

        var answering = lab.ReviewAsync(review);
        // The registry has been asked (its connection is waiting); one budget on the webhook's clock ends the whole pod's lookups.
        using var connection = await silent.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        Assert.False(answering.IsCompleted);
        lab.Time.Advance(lab.Options.AdmissionBudget);
        var answer = await answering;
        Assert.True(answer["response"]!["allowed"]!.GetValue<bool>());
        Assert.Null(answer["response"]!["patch"]);
        Assert.Contains("no answer within 3 s", answer["response"]!["warnings"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ProfileBinding_binds_its_profile_to_matching_containers_and_a_binding_to_a_missing_profile_is_a_warning()
    {
        var cancel = TestContext.Current.CancellationToken;
        await lab.Api.CreateAsync(AgentLab.Profile<Resources.SeccompProfileResource>("hand-made", WebhookLab.SeccompProfile), cancel);
        await lab.Api.CreateAsync(new Resources.ProfileBindingResource
        {
            Metadata = new() { Name = "proxies", NamespaceProperty = "tools" },
            Spec = new() { Image = "**/shop/proxy:*", SeccompProfile = "hand-made", PodSelector = new() { MatchLabels = new Dictionary<string, string> { ["run"] = "nginx" } } },
        }, cancel);
        await lab.Api.CreateAsync(new Resources.ProfileBindingResource
        {
            Metadata = new() { Name = "zz-broken", NamespaceProperty = "tools" },
            Spec = new() { Image = "**/shop/other:*", SeccompProfile = "nobody-made-this" },
        }, cancel);
        JsonNode Review(string image)
        {
            var review = JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
            review["request"]!["namespace"] = "tools";
            review["request"]!["uid"] = Guid.NewGuid().ToString();
            review["request"]!["object"]!["metadata"]!["namespace"] = "tools";
            review["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = image;
            return review;
        }

        var bound = Review($"{lab.Registry}/shop/proxy:2.0");
        var pod = WebhookLab.Patched(bound, await lab.ReviewAsync(bound));
        Assert.Equal("portcullis/hand-made.json", pod["spec"]!["containers"]![0]!["securityContext"]!["seccompProfile"]!["localhostProfile"]!.GetValue<string>());
        Assert.Equal($"{lab.Registry}/shop/proxy:2.0", pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Contains("ProfileBinding/proxies", pod["metadata"]!["annotations"]!["portcullis.dev/bindings"]!.GetValue<string>(), StringComparison.Ordinal);

        var broken = Review($"{lab.Registry}/shop/other:1");
        var answer = await lab.ReviewAsync(broken);
        Assert.Null(answer["response"]!["patch"]);
        Assert.Contains("nobody-made-this, which does not exist", answer["response"]!["warnings"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_gets_its_warning_but_no_event()
    {
        var review = JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        // an image no other test names, so the webhook's once-a-minute Event dedupe cannot hide a written Event
        review["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = $"127.0.0.1:1/library/dry-run-{Guid.NewGuid():N}:latest";
        review["request"]!["dryRun"] = true;
        lab.Api.Calls.Clear();
        var answer = await lab.ReviewAsync(review);
        Assert.NotNull(answer["response"]!["warnings"]);
        await lab.EventsWrittenAsync(); // what the webhook started writing, if anything, is written by now
        Assert.DoesNotContain("create Event", lab.Api.Calls);
    }

    [Fact]
    public async Task A_pod_with_nodeName_is_bound_only_to_profiles_that_node_already_has_and_is_never_gated()
    {
        var review = CapturedReview(t => t.Replace("\"restartPolicy\":\"Always\"", "\"nodeName\":\"node-a\",\"restartPolicy\":\"Always\"", StringComparison.Ordinal));
        var pod = WebhookLab.Patched(review, await lab.ReviewAsync(review));
        Assert.Null(pod["spec"]!["schedulingGates"]);
        Assert.Null(pod["spec"]!["initContainers"]![0]!["securityContext"]);
        Assert.Null(pod["spec"]!["containers"]![0]!["securityContext"]);

        var name = $"sha256-{lab.MigrateSeccompArtifact.Hex}";
        await lab.Api.CreateAsync(new Resources.ProfileNodeStatusResource
        {
            Metadata = new() { Name = Resources.ProfileNames.NodeStatus(Resources.ProfileType.Seccomp, name, "node-a") },
            Spec = new() { NodeName = "node-a", ProfileName = name, ProfileType = Resources.ProfileType.Seccomp },
            Status = new() { State = Resources.NodeState.Installed },
        }, TestContext.Current.CancellationToken);
        review["request"]!["uid"] = "nodename-2";
        pod = WebhookLab.Patched(review, await lab.ReviewAsync(review));
        Assert.Null(pod["spec"]!["schedulingGates"]);
        Assert.Equal($"portcullis/{name}.json", pod["spec"]!["initContainers"]![0]!["securityContext"]!["seccompProfile"]!["localhostProfile"]!.GetValue<string>());
        Assert.Null(pod["spec"]!["containers"]![0]!["securityContext"]);
    }

    [Fact]
    public async Task Fail_closed_refuses_a_pod_it_cannot_bind_and_still_binds_the_ones_it_can()
    {
        using var clients = new Registry.RegistryClientPool(new Oci.Transport.RegistryOptions());
        var handler = Handler(lab.Options with { FailClosed = true }, clients);

        var unreachable = JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        unreachable["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = "127.0.0.1:1/library/nginx:latest";
        var refused = (await handler.ReviewAsync(unreachable, TestContext.Current.CancellationToken))["response"]!;
        Assert.False(refused["allowed"]!.GetValue<bool>());
        Assert.Null(refused["patch"]);
        Assert.Equal(403, refused["status"]!["code"]!.GetValue<int>());
        Assert.Contains("127.0.0.1:1", refused["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var broken = CapturedReview();
        broken["request"]!["object"]!.AsObject().Remove("spec"); // an internal error, not a registry problem
        Assert.False((await handler.ReviewAsync(broken, TestContext.Current.CancellationToken))["response"]!["allowed"]!.GetValue<bool>());

        var bindable = (await handler.ReviewAsync(CapturedReview(), TestContext.Current.CancellationToken))["response"]!;
        Assert.True(bindable["allowed"]!.GetValue<bool>());
        Assert.NotNull(bindable["patch"]);
    }

    [Theory]
    [InlineData("forbiddenSyscalls", "ptrace, write", false, "write")]
    [InlineData("allowedRegistries", "registry.example", false, "allowedRegistries")]
    [InlineData("requireSignatures", "true", false, "signature")]
    [InlineData("forbiddenSyscalls", "ptrace, bpf", true, null)]
    public async Task In_CRI_O_mode_the_cluster_policy_judges_the_artifact_before_it_is_annotated_and_a_refused_one_refuses_the_pod(string key, string value, bool allowed, string? why)
    {
        // CRI-O pulls what the annotation names with no controller between: the webhook is the only place the policy can apply.
        var options = lab.Options with { Mode = Hosting.BindingMode.CriO, PolicyConfigMap = $"crio-policy-{key}-{allowed}".ToLowerInvariant() };
        await lab.Api.CreateAsync(new k8s.Models.V1ConfigMap
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = options.PolicyConfigMap, NamespaceProperty = options.Namespace },
            Data = new Dictionary<string, string> { [key] = value },
        }, TestContext.Current.CancellationToken);
        using var clients = new Registry.RegistryClientPool(new Oci.Transport.RegistryOptions { InsecureRegistries = options.InsecureRegistries });
        var review = await Handler(options, clients).ReviewAsync(CapturedReview(), TestContext.Current.CancellationToken);
        var answer = review["response"]!;

        Assert.Equal(allowed, answer["allowed"]!.GetValue<bool>());
        if (allowed)
        {
            var pod = WebhookLab.Patched(CapturedReview(), review);
            Assert.Equal($"{lab.Registry}/shop/checkout@{lab.CheckoutSeccompArtifact}", pod["metadata"]!["annotations"]![RuntimeNames.CrioAnnotationPrefix + "api"]!.GetValue<string>());
            return;
        }
        Assert.Null(answer["patch"]);
        Assert.Equal(403, answer["status"]!["code"]!.GetValue<int>());
        Assert.Contains(why!, answer["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:1/library/nginx:latest", "localhost")]
    [InlineData("169.254.169.254/latest/meta-data:1", "169.254.169.254")]
    public async Task Registries_on_internal_addresses_are_refused_without_a_connection(string image, string host)
    {
        var review = JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        review["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = image;
        var warning = (await lab.ReviewAsync(review))["response"]!["warnings"]![0]!.GetValue<string>();
        Assert.Contains($"refusing to connect to {host}", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_error_body_is_never_echoed_and_its_Retry_After_is_capped()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        Microsoft.AspNetCore.Hosting.WebHostBuilderKestrelExtensions.ConfigureKestrel(builder.WebHost, k => k.Listen(System.Net.IPAddress.Loopback, 0));
        await using var app = builder.Build();
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.Map(app, "/{**path}", (Microsoft.AspNetCore.Http.HttpContext http) =>
        {
            if (http.Request.Path.StartsWithSegments("/busy"))
            {
                http.Response.Headers.RetryAfter = "3600";
                return Microsoft.AspNetCore.Http.Results.StatusCode(503);
            }
            return Microsoft.AspNetCore.Http.Results.Json(new { errors = new[] { new { code = "DENIED", message = "pwned: visit evil.example" } } }, statusCode: 403);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var host = new Uri(app.Urls.First()).Authority;

        var review = JsonNode.Parse(File.ReadAllText(Repo.Data("k8s/admissionreview-pod-create.json")))!;
        review["request"]!["object"]!["spec"]!["containers"]![0]!["image"] = $"{host}/library/nginx@sha256:{new string('a', 64)}";
        var warning = (await lab.ReviewAsync(review))["response"]!["warnings"]![0]!.GetValue<string>();
        Assert.Contains("HTTP 403 DENIED", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", warning, StringComparison.Ordinal);

        using var client = new HttpClient(Registry.RegistryHandler.Create(lab.Options));
        using var busy = await client.GetAsync(new Uri($"http://{host}/busy"), TestContext.Current.CancellationToken);
        Assert.Equal(lab.Options.MaxRetryAfter, busy.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task On_a_server_that_drops_scheduling_gates_the_pod_is_warned_that_its_gate_will_not_hold()
    {
        using var clients = new Registry.RegistryClientPool(new Oci.Transport.RegistryOptions());
        var handler = Handler(lab.Options, clients);
        lab.Api.Version = (1, 26);
        try
        {
            var answer = (await handler.ReviewAsync(CapturedReview(), TestContext.Current.CancellationToken))["response"]!;
            Assert.NotNull(answer["patch"]);
            Assert.Contains("drops scheduling gates", answer["warnings"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
        finally
        {
            lab.Api.Version = (1, 32);
        }
    }

    /// <summary>An admission handler of its own (own options, clock and caches) over the lab's API and registry.</summary>
    private Webhook.AdmissionHandler Handler(Hosting.RuntimeOptions options, Registry.RegistryClientPool clients)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        return new Webhook.AdmissionHandler(
            new Webhook.PodBinder(lab.Api, new Registry.ImageProfileResolver(clients, options, time), new Webhook.PodCredentialsSource(lab.Api, time),
                new Webhook.CrioPolicyJudge(lab.Api, new Controller.ProfileFetcher(clients, options), options, time), options, time),
            lab.Api, options, new Webhook.AppArmorSupport(lab.Api, options, time), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<Webhook.AdmissionHandler>.Instance);
    }
}
