using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portcullis.Oci.Transport;
using Portcullis.Runtime.Controller;
using Portcullis.Runtime.Kubernetes;
using Portcullis.Runtime.NodeAgent;
using Portcullis.Runtime.Registry;
using Portcullis.Runtime.Webhook;
using Prometheus;

namespace Portcullis.Runtime.Hosting;

/// <summary>
/// One process, the roles it is given: the wiring for all of them in one place. The webhook is served on
/// HTTPS (<see cref="RuntimeOptions.HttpsPort"/>); health and metrics on plain HTTP
/// (<see cref="RuntimeOptions.HttpPort"/>) for the kubelet's probes and Prometheus.
/// </summary>
public static class RuntimeHost
{
    /// <summary>Where the webhook answers; deploy/base/webhook.yaml names the same path.</summary>
    public const string WebhookPath = "/mutate-pods";

    public static WebApplication Build(Role roles, RuntimeOptions options, IClusterApi api, string[] args, IAppArmorLoader? appArmor = null, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        var readiness = new Readiness();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(api);
        builder.Services.AddSingleton(readiness);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        builder.Services.AddSingleton(new RegistryClientPool(new RegistryOptions
        {
            InsecureRegistries = options.InsecureRegistries,
            MaxAttempts = 2,
            RequestTimeout = options.RegistryRequestTimeout,
        }, handlers: () => RegistryHandler.Create(options)));
        builder.Services.AddSingleton<PodCredentialsSource>();
        builder.Services.AddSingleton<ProfileFetcher>(); // the controller's, and the webhook's judge in CRI-O mode
        var certificate = new ServingCertificate(api, options);

        if (roles.HasFlag(Role.Webhook))
        {
            readiness.Expect(Role.Webhook);
            builder.Services.AddSingleton<ImageProfileResolver>();
            builder.Services.AddSingleton<CrioPolicyJudge>();
            builder.Services.AddSingleton<PodBinder>();
            builder.Services.AddSingleton<AppArmorSupport>();
            builder.Services.AddSingleton<AdmissionHandler>();
            builder.Services.AddHostedService(sp => new CertificateRefreshService(certificate, readiness, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CertificateRefreshService>>()));
        }
        if (roles.HasFlag(Role.Controller))
        {
            builder.Services.AddSingleton<ProfileReconciler>();
            builder.Services.AddSingleton<WebhookCertificates>();
            builder.Services.AddHostedService<ControllerService>();
        }
        if (roles.HasFlag(Role.Agent))
        {
            readiness.Expect(Role.Agent);
            builder.Services.AddSingleton(appArmor ?? new AppArmorParserLoader(options.AppArmorParser));
            builder.Services.AddSingleton(sp => new ProfileAgent(api,
                new SeccompVariantStore(new ProfileFileStore(Path.Combine(options.KubeletRoot, "seccomp", RuntimeNames.SeccompDirectory), ".json")),
                new ProfileFileStore(options.AppArmorRoot, ""),
                sp.GetRequiredService<IAppArmorLoader>(), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProfileAgent>>()));
            builder.Services.AddHostedService<AgentService>();
        }

        var clientRoots = roles.HasFlag(Role.Webhook) && options.WebhookClientCaFile is { } clientCa ? WebhookClientAuthentication.Load(clientCa) : null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            void Listen(int port, Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions>? configure = null)
            {
                if (options.ListenAddress is { } address)
                    kestrel.Listen(System.Net.IPAddress.Parse(address), port, configure ?? (_ => { }));
                else
                    kestrel.ListenAnyIP(port, configure ?? (_ => { }));
            }
            Listen(options.HttpPort);
            if (roles.HasFlag(Role.Webhook))
            {
                var https = new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificate.Current };
                if (clientRoots is not null)
                    WebhookClientAuthentication.Require(https, clientRoots);
                Listen(options.HttpsPort, listen => listen.UseHttps(https));
            }
        });

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", (Readiness r) => r.IsReady ? Results.Text("ok") : Results.Text("waiting for " + string.Join(", ", r.Waiting), statusCode: 503));
        app.MapMetrics("/metrics");
        if (roles.HasFlag(Role.Webhook))
        {
            app.MapPost(WebhookPath, async (HttpContext context, AdmissionHandler handler) =>
            {
                if (!context.Request.IsHttps)
                    return Results.StatusCode(StatusCodes.Status421MisdirectedRequest);
                JsonNode? review;
                try
                {
                    review = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
                }
                catch (JsonException e)
                {
                    return Results.BadRequest("not JSON: " + e.Message);
                }
                try
                {
                    var answer = await handler.ReviewAsync(review ?? new JsonObject(), context.RequestAborted).ConfigureAwait(false);
                    return Results.Text(answer.ToJsonString(), "application/json");
                }
                catch (FormatException e)
                {
                    return Results.BadRequest(e.Message);
                }
            });
        }
        return app;
    }
}
