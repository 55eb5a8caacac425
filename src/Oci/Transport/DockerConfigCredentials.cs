using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Portcullis.Oci.Transport;

/// <summary>
/// Credentials as docker, podman and the .NET SDK find them: PORTCULLIS_REGISTRY_USERNAME /
/// PORTCULLIS_REGISTRY_PASSWORD, for the one registry PORTCULLIS_REGISTRY names and no other; then the
/// first of $REGISTRY_AUTH_FILE, $XDG_RUNTIME_DIR/containers/auth.json, $DOCKER_CONFIG/config.json (or
/// ~/.docker/config.json) that exists: credHelpers for the registry, else `auths` (base64 "auth", or
/// username/password, or identitytoken), else credsStore, through `docker-credential-NAME get`.
/// </summary>
public sealed class DockerConfigCredentials(string? configPath)
{
    public static DockerConfigCredentials Default { get; } = new(null);

    public RegistryCredentials? Find(string registry)
    {
        if (Environment.GetEnvironmentVariable("PORTCULLIS_REGISTRY_USERNAME") is { Length: > 0 } user
            && Environment.GetEnvironmentVariable("PORTCULLIS_REGISTRY_PASSWORD") is { } password
            && string.Equals(Environment.GetEnvironmentVariable("PORTCULLIS_REGISTRY"), registry, StringComparison.OrdinalIgnoreCase))
            return new RegistryCredentials(user, password);

        if ((configPath is not null ? [configPath] : ConfigFiles()).FirstOrDefault(File.Exists) is not { } path)
            return null;
        JsonDocument config;
        try
        {
            config = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new OciException($"{path}: not valid JSON ({e.Message.Split('.')[0]})");
        }
        using (config)
        {
            var root = config.RootElement;
            var keys = Keys(registry);
            if (root.TryGetProperty("credHelpers", out var helpers))
            {
                foreach (var key in keys)
                {
                    if (helpers.TryGetProperty(key, out var helper) && helper.GetString() is { } name)
                        return FromHelper(name, key);
                }
            }
            if (root.TryGetProperty("auths", out var auths))
            {
                foreach (var key in keys)
                {
                    if (auths.TryGetProperty(key, out var entry) && FromAuth(entry) is { } found)
                        return found;
                }
            }
            if (root.TryGetProperty("credsStore", out var store) && store.GetString() is { Length: > 0 } storeName)
                return FromHelper(storeName, registry);
        }
        return null;
    }

    private static IEnumerable<string> ConfigFiles()
    {
        if (Environment.GetEnvironmentVariable("REGISTRY_AUTH_FILE") is { Length: > 0 } authFile)
            yield return authFile;
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime)
            yield return Path.Combine(runtime, "containers", "auth.json");
        yield return Path.Combine(Environment.GetEnvironmentVariable("DOCKER_CONFIG") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker"), "config.json");
    }

    // docker.io's credentials are stored under its legacy index URL.
    private static string[] Keys(string registry) =>
        registry == "docker.io" ? ["https://index.docker.io/v1/", "docker.io", "registry-1.docker.io"] : [registry, "https://" + registry, "http://" + registry];

    private static RegistryCredentials? FromAuth(JsonElement entry)
    {
        if (entry.TryGetProperty("identitytoken", out var token) && token.GetString() is { Length: > 0 } t)
            return new RegistryCredentials("<token>", t);
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? new RegistryCredentials(text[..colon], text[(colon + 1)..]) : null;
        }
        if (entry.TryGetProperty("username", out var u) && entry.TryGetProperty("password", out var p))
            return new RegistryCredentials(u.GetString() ?? "", p.GetString() ?? "");
        return null;
    }

    private static RegistryCredentials? FromHelper(string helper, string server)
    {
        var start = new ProcessStartInfo("docker-credential-" + helper) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("get");
        try
        {
            using var process = Process.Start(start)!;
            process.StandardInput.Write(server);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                return null;
            using var json = JsonDocument.Parse(output);
            return new RegistryCredentials(json.RootElement.GetProperty("Username").GetString() ?? "", json.RootElement.GetProperty("Secret").GetString() ?? "");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new OciException($"credential helper docker-credential-{helper} (named in the docker config) is not installed");
        }
        catch (JsonException)
        {
            throw new OciException($"credential helper docker-credential-{helper} answered something that is not JSON");
        }
    }
}
