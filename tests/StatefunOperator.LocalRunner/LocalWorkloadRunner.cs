using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.LocalRunner;

/// <summary>Polls the operator's Deployments and keeps one local runtime process per Deployment in step with it.</summary>
public sealed class LocalWorkloadRunner : IDisposable
{
    private readonly IKubernetes _client;
    private readonly RunnerOptions _options;
    private readonly Dictionary<string, LocalWorkload> _workloads = new(StringComparer.Ordinal);

    public LocalWorkloadRunner(IKubernetes client, RunnerOptions options)
    {
        _client = client;
        _options = options;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped in the middle of a call to the API server.
                break;
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException)
            {
                Console.Error.WriteLine($"statefun-local-runner: {e.Message}; retrying");
            }

            try
            {
                await Task.Delay(_options.Poll, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public void Dispose()
    {
        foreach (var workload in _workloads.Values)
        {
            workload.Dispose();
        }

        _workloads.Clear();
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var selector = $"{WorkloadNames.ManagedByLabel}={WorkloadNames.ManagedByValue}";
        var deployments = _options.Namespace is { } only
            ? await _client.AppsV1.ListNamespacedDeploymentAsync(only, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await _client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in deployments.Items)
        {
            if (!await OwnerExistsAsync(deployment, cancellationToken).ConfigureAwait(false))
            {
                // Standing in for the garbage collector as well: the owner is gone, so is its workload.
                Console.WriteLine($"statefun-local-runner: {deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}: its KafkaIngress is gone; deleting the Deployment as the garbage collector would");
                await _client.AppsV1.DeleteNamespacedDeploymentAsync(deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            var key = $"{deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}";
            seen.Add(key);
            await SyncOneAsync(key, deployment, cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in _workloads.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            Console.WriteLine($"statefun-local-runner: {gone}: Deployment deleted; stopping its runtime");
            _workloads[gone].Dispose();
            _workloads.Remove(gone);
            await DeletePodAsync(gone.Split('/')[0], PodName(gone.Split('/')[1]), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SyncOneAsync(string key, V1Deployment deployment, CancellationToken cancellationToken)
    {
        var hash = Lookup(deployment.Spec.Template.Metadata?.Annotations, WorkloadNames.ConfigHashAnnotation) ?? string.Empty;
        var wanted = deployment.Spec.Replicas is not 0;
        _workloads.TryGetValue(key, out var current);
        if (current is not null && (!wanted || current.ConfigHash != hash || !current.Alive))
        {
            Console.WriteLine($"statefun-local-runner: {key}: {(!wanted ? "scaled to 0" : current.ConfigHash != hash ? "new config hash " + hash : "runtime exited with " + current.Process.ExitCode)}; stopping it");
            current.Dispose();
            _workloads.Remove(key);
            current = null;
            await DeletePodAsync(deployment.Metadata.NamespaceProperty, PodName(deployment.Metadata.Name), cancellationToken).ConfigureAwait(false);
        }

        if (wanted && current is null)
        {
            current = await StartAsync(key, deployment, hash, cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                _workloads[key] = current;
                await CreatePodAsync(deployment, current, cancellationToken).ConfigureAwait(false);
            }
        }

        await ReportStatusAsync(deployment, current, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> OwnerExistsAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        var owner = deployment.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null || owner.Kind != KafkaIngress.KindName)
        {
            return true;
        }

        var group = owner.ApiVersion.Split('/')[0];
        var version = owner.ApiVersion.Split('/')[^1];
        try
        {
            var found = await _client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                group, version, deployment.Metadata.NamespaceProperty, KafkaIngress.Plural, owner.Name, cancellationToken).ConfigureAwait(false);
            return !found.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("uid", out var uid) || uid.GetString() == owner.Uid;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<LocalWorkload?> StartAsync(string key, V1Deployment deployment, string hash, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var configMapName = deployment.Spec.Template.Spec.Volumes?.FirstOrDefault(v => v.ConfigMap is not null)?.ConfigMap.Name;
        if (configMapName is null)
        {
            Console.Error.WriteLine($"statefun-local-runner: {key}: no ConfigMap volume in the pod template");
            return null;
        }

        var configMap = await _client.CoreV1.ReadNamespacedConfigMapAsync(configMapName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (Lookup(configMap.Data, WorkloadNames.ModuleFileName) is not { } module)
        {
            Console.Error.WriteLine($"statefun-local-runner: {key}: ConfigMap {configMapName} has no {WorkloadNames.ModuleFileName}");
            return null;
        }

        var directory = Path.Combine(_options.StateDirectory, ns, deployment.Metadata.Name);
        Directory.CreateDirectory(directory);
        var modulePath = Path.Combine(directory, WorkloadNames.ModuleFileName);
        await File.WriteAllTextAsync(modulePath, module, cancellationToken).ConfigureAwait(false);
        var environment = await EnvironmentAsync(deployment, cancellationToken).ConfigureAwait(false);
        var log = Path.Combine(directory, "runtime.log");
        Console.WriteLine($"statefun-local-runner: {key}: starting the runtime (config hash {hash}); module {modulePath}, log {log}");
        return LocalWorkload.Start(_options.RuntimeDll, modulePath, log, environment, hash);
    }

    /// <summary>The container's environment as the kubelet would set it: literal values, Secret keys, and the pod name.</summary>
    private async Task<Dictionary<string, string>> EnvironmentAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var container = deployment.Spec.Template.Spec.Containers.First();
        foreach (var variable in container.Env ?? [])
        {
            if (variable.Value is not null)
            {
                environment[variable.Name] = variable.Value;
            }
            else if (variable.ValueFrom?.SecretKeyRef is { } secretRef)
            {
                var secret = await _client.CoreV1.ReadNamespacedSecretAsync(secretRef.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (Lookup(secret.Data, secretRef.Key) is { } bytes)
                {
                    environment[variable.Name] = Encoding.UTF8.GetString(bytes);
                }
            }
            else if (variable.ValueFrom?.FieldRef?.FieldPath == "metadata.name")
            {
                environment[variable.Name] = PodName(deployment.Metadata.Name);
            }
        }

        return environment;
    }

    private async Task ReportStatusAsync(V1Deployment deployment, LocalWorkload? workload, CancellationToken cancellationToken)
    {
        var ready = workload?.Ready == true ? 1 : 0;
        var running = workload?.Alive == true ? 1 : 0;
        var status = deployment.Status;
        if (status?.ObservedGeneration == deployment.Metadata.Generation && status?.ReadyReplicas == ready && status?.Replicas == running)
        {
            return;
        }

        var patch = new
        {
            status = new
            {
                observedGeneration = deployment.Metadata.Generation,
                replicas = running,
                updatedReplicas = running,
                readyReplicas = ready,
                availableReplicas = ready,
                unavailableReplicas = 1 - ready,
                conditions = new[]
                {
                    new
                    {
                        type = "Available",
                        status = ready == 1 ? "True" : "False",
                        reason = ready == 1 ? "LocalRuntimeRunning" : "LocalRuntimeStarting",
                        message = "reported by statefun-local-runner (development stand-in for a kubelet)",
                        lastUpdateTime = DateTime.UtcNow,
                        lastTransitionTime = DateTime.UtcNow,
                    },
                },
            },
        };
        await _client.AppsV1.PatchNamespacedDeploymentStatusAsync(
            new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.MergePatch),
            deployment.Metadata.Name,
            deployment.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string PodName(string deploymentName) => deploymentName + "-local-0";

    /// <summary>
    /// The pod object a kubelet would report for the local runtime: the template's labels, Running at 127.0.0.1,
    /// its health port the local process's, so the operator reads the runtime's /status (status.lag) as on a cluster.
    /// </summary>
    private async Task CreatePodAsync(V1Deployment deployment, LocalWorkload workload, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var name = PodName(deployment.Metadata.Name);
        await DeletePodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var template = deployment.Spec.Template;
        var containers = template.Spec.Containers.Select(c => new V1Container
        {
            Name = c.Name,
            Image = c.Image,
            Ports = [new V1ContainerPort { Name = "health", ContainerPort = workload.HealthPort, Protocol = "TCP" }],
        }).ToList();
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = template.Metadata?.Labels,
                Annotations = new Dictionary<string, string> { ["statefun.dev/local-runner"] = "a local process stands in for this pod (no kubelet)" },
            },
            Spec = new V1PodSpec { Containers = containers },
        };
        await _client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        var status = new { status = new { phase = "Running", podIP = "127.0.0.1", podIPs = new[] { new { ip = "127.0.0.1" } } } };
        await _client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(JsonSerializer.Serialize(status), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Not there.
        }
    }

    private static T? Lookup<T>(IDictionary<string, T>? values, string key)
        where T : class =>
        values is not null && values.TryGetValue(key, out var value) ? value : null;
}
