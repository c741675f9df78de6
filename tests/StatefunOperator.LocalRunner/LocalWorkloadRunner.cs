using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.LocalRunner;

/// <summary>
/// Polls the operator's Deployments and StatefulSets and keeps local runtime processes in step with them: one per
/// Deployment (ingress worker), and <c>replicas</c> per StatefulSet (function host) named <c>&lt;statefulset&gt;-&lt;i&gt;</c>
/// with that name as <c>POD_NAME</c> / <c>STATEFUN_INSTANCE_ID</c>, as stable as a real StatefulSet's pods. A process
/// that dies or runs an old config hash is restarted; scaling starts or stops the highest ordinals. Each process gets
/// the pod object a kubelet would report (<c>&lt;deployment&gt;-local-0</c>, or the StatefulSet pod's own name), written
/// when it starts and deleted when it stops, so <c>kubectl get pods</c> and the operator's lag collector see it.
/// </summary>
public sealed class LocalWorkloadRunner : IDisposable
{
    /// <summary>The label the statefulset controller puts on each of its pods, naming the pod.</summary>
    public const string StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name";

    private readonly IKubernetes _client;
    private readonly RunnerOptions _options;

    /// <summary>By <c>namespace/pod</c>: a Deployment's one process under the Deployment's name, a StatefulSet's under its pods' names.</summary>
    private readonly Dictionary<string, LocalWorkload> _workloads = new(StringComparer.Ordinal);

    public LocalWorkloadRunner(IKubernetes client, RunnerOptions options)
    {
        _client = client;
        _options = options;
    }

    /// <summary>The pods (<c>namespace/pod</c>) with a live process, in name order (tests read it).</summary>
    public IReadOnlyList<string> Running => _workloads.Where(w => w.Value.Alive).Select(w => w.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The args a pod's process was started with (empty when none runs).</summary>
    public IReadOnlyList<string> ArgumentsOf(string pod) => _workloads.TryGetValue(pod, out var workload) ? workload.Arguments : [];

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
        var statefulSets = _options.Namespace is { } one
            ? await _client.AppsV1.ListNamespacedStatefulSetAsync(one, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await _client.AppsV1.ListStatefulSetForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in deployments.Items)
        {
            if (!await OwnerExistsAsync(deployment, KafkaIngress.KindName, KafkaIngress.Plural, cancellationToken).ConfigureAwait(false))
            {
                // Standing in for the garbage collector as well: the owner is gone, so is its workload.
                Console.WriteLine($"statefun-local-runner: {deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}: its KafkaIngress is gone; deleting the Deployment as the garbage collector would");
                await _client.AppsV1.DeleteNamespacedDeploymentAsync(deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            var key = $"{deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}";
            seen.Add(key);
            await SyncDeploymentAsync(key, deployment, cancellationToken).ConfigureAwait(false);
        }

        foreach (var statefulSet in statefulSets.Items)
        {
            if (!await OwnerExistsAsync(statefulSet, FunctionEndpoint.KindName, FunctionEndpoint.Plural, cancellationToken).ConfigureAwait(false))
            {
                Console.WriteLine($"statefun-local-runner: {statefulSet.Metadata.NamespaceProperty}/{statefulSet.Metadata.Name}: its FunctionEndpoint is gone; deleting the StatefulSet as the garbage collector would");
                await _client.AppsV1.DeleteNamespacedStatefulSetAsync(statefulSet.Metadata.Name, statefulSet.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            await SyncStatefulSetAsync(statefulSet, seen, cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in _workloads.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            await StopAsync(gone, "its workload was deleted or scaled down", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SyncDeploymentAsync(string key, V1Deployment deployment, CancellationToken cancellationToken)
    {
        var hash = Lookup(deployment.Spec.Template.Metadata?.Annotations, WorkloadNames.ConfigHashAnnotation) ?? string.Empty;
        var wanted = deployment.Spec.Replicas is not 0;
        var current = await KeepAsync(key, wanted, hash, deployment.Metadata.NamespaceProperty, deployment.Metadata.Name, DeploymentPodName(deployment.Metadata.Name), deployment.Spec.Template, new Dictionary<string, string>(), cancellationToken).ConfigureAwait(false);
        await ReportStatusAsync(deployment, current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pods <c>&lt;name&gt;-0</c> .. <c>&lt;name&gt;-(replicas-1)</c>, each its own process; higher ordinals stop.</summary>
    private async Task SyncStatefulSetAsync(V1StatefulSet statefulSet, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var ns = statefulSet.Metadata.NamespaceProperty;
        var hash = Lookup(statefulSet.Spec.Template.Metadata?.Annotations, WorkloadNames.ConfigHashAnnotation) ?? string.Empty;
        var pods = new List<LocalWorkload?>();
        for (var ordinal = 0; ordinal < (statefulSet.Spec.Replicas ?? 1); ordinal++)
        {
            var pod = $"{statefulSet.Metadata.Name}-{ordinal}";
            var key = $"{ns}/{pod}";
            seen.Add(key);

            // As the statefulset controller labels its pods (a Service can select one pod by it).
            var labels = new Dictionary<string, string> { [StatefulSetPodNameLabel] = pod };
            pods.Add(await KeepAsync(key, true, hash, ns, pod, pod, statefulSet.Spec.Template, labels, cancellationToken).ConfigureAwait(false));
        }

        // Scaled down: the pods above the last ordinal stop before the status says so.
        var prefix = $"{ns}/{statefulSet.Metadata.Name}-";
        foreach (var excess in _workloads.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(k[prefix.Length..], out var ordinal) && ordinal >= pods.Count).ToList())
        {
            await StopAsync(excess, $"scaled down to {pods.Count}", cancellationToken).ConfigureAwait(false);
        }

        await ReportStatusAsync(statefulSet, pods, hash, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops the process when it is not wanted, runs an old hash or died; starts it when wanted and absent. The pod
    /// object follows the process: deleted when it stops, written (with the new process's health port) when it starts.
    /// </summary>
    /// <param name="key">namespace/pod (a Deployment's: namespace/deployment).</param>
    /// <param name="wanted">Whether a process should run.</param>
    /// <param name="hash">The config hash it should run.</param>
    /// <param name="ns">The workload's namespace.</param>
    /// <param name="directoryName">The folder under the state directory.</param>
    /// <param name="podName">The pod object's name, and what <c>metadata.name</c> field references resolve to.</param>
    /// <param name="template">The pod template.</param>
    /// <param name="extraLabels">Labels the pod gets besides the template's.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    private async Task<LocalWorkload?> KeepAsync(string key, bool wanted, string hash, string ns, string directoryName, string podName, V1PodTemplateSpec template, IReadOnlyDictionary<string, string> extraLabels, CancellationToken cancellationToken)
    {
        _workloads.TryGetValue(key, out var current);
        if (current is not null && (!wanted || current.ConfigHash != hash || !current.Alive))
        {
            await StopAsync(key, !wanted ? "scaled to 0" : current.ConfigHash != hash ? "new config hash " + hash : "runtime exited with " + current.Process.ExitCode, cancellationToken).ConfigureAwait(false);
            current = null;
        }

        if (wanted && current is null)
        {
            current = await StartAsync(key, ns, directoryName, podName, template, hash, cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                try
                {
                    await CreatePodAsync(ns, template, extraLabels, current, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    // No pod object, no process: the next sync starts both again.
                    current.Dispose();
                    throw;
                }

                _workloads[key] = current;
            }
        }

        return current;
    }

    /// <summary>Stops the process and deletes its pod object.</summary>
    private async Task StopAsync(string key, string reason, CancellationToken cancellationToken)
    {
        var workload = _workloads[key];
        Console.WriteLine($"statefun-local-runner: {key}: {reason}; stopping its runtime");
        workload.Dispose();
        _workloads.Remove(key);
        await DeletePodAsync(key.Split('/')[0], workload.PodName, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> OwnerExistsAsync(IKubernetesObject<V1ObjectMeta> workload, string kind, string plural, CancellationToken cancellationToken)
    {
        var owner = workload.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (owner is null || owner.Kind != kind)
        {
            return true;
        }

        var group = owner.ApiVersion.Split('/')[0];
        var version = owner.ApiVersion.Split('/')[^1];
        try
        {
            var found = await _client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                group, version, workload.Metadata.NamespaceProperty, plural, owner.Name, cancellationToken).ConfigureAwait(false);
            return !found.TryGetProperty("metadata", out var metadata) || !metadata.TryGetProperty("uid", out var uid) || uid.GetString() == owner.Uid;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <param name="key">For messages: namespace/pod.</param>
    /// <param name="ns">The workload's namespace.</param>
    /// <param name="directoryName">The folder under the state directory (a Deployment's name, a StatefulSet pod's name).</param>
    /// <param name="podName">What <c>metadata.name</c> field references resolve to.</param>
    /// <param name="template">The pod template.</param>
    /// <param name="hash">The config hash it runs.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    private async Task<LocalWorkload?> StartAsync(string key, string ns, string directoryName, string podName, V1PodTemplateSpec template, string hash, CancellationToken cancellationToken)
    {
        var configMapName = template.Spec.Volumes?.FirstOrDefault(v => v.ConfigMap is not null)?.ConfigMap.Name;
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

        var directory = Path.Combine(_options.StateDirectory, ns, directoryName);
        Directory.CreateDirectory(directory);
        var modulePath = Path.Combine(directory, WorkloadNames.ModuleFileName);
        await File.WriteAllTextAsync(modulePath, module, cancellationToken).ConfigureAwait(false);
        var container = template.Spec.Containers.First();
        var environment = await EnvironmentAsync(ns, container, podName, cancellationToken).ConfigureAwait(false);
        var arguments = Arguments(container, modulePath);
        var log = Path.Combine(directory, "runtime.log");
        Console.WriteLine($"statefun-local-runner: {key}: starting the runtime {string.Join(' ', arguments)} (config hash {hash}); log {log}");
        var workload = LocalWorkload.Start(podName, _options.RuntimeDll, arguments, log, environment, hash);
        // For people and scripts who want to kill -9 one pod (make run does, to show recovery).
        await File.WriteAllTextAsync(Path.Combine(directory, "runtime.pid"), workload.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        return workload;
    }

    /// <summary>The container's args with the mounted module path replaced by the local copy (<c>--module PATH</c> when it names none).</summary>
    private static List<string> Arguments(V1Container container, string modulePath)
    {
        var arguments = (container.Args ?? []).Select(a => a == RuntimePodTemplate.ModulePath ? modulePath : a).ToList();
        if (!arguments.Contains(modulePath))
        {
            arguments.InsertRange(0, ["--module", modulePath]);
        }

        return arguments;
    }

    /// <summary>The container's environment as the kubelet would set it: literal values, Secret keys, and the pod name.</summary>
    private async Task<Dictionary<string, string>> EnvironmentAsync(string ns, V1Container container, string podName, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
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
                environment[variable.Name] = podName;
            }
            else if (variable.ValueFrom?.FieldRef?.FieldPath == "metadata.namespace")
            {
                environment[variable.Name] = ns;
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

    /// <summary>The StatefulSet's status as its controller would report it: every local pod runs the current revision (the hash).</summary>
    private async Task ReportStatusAsync(V1StatefulSet statefulSet, IReadOnlyList<LocalWorkload?> pods, string hash, CancellationToken cancellationToken)
    {
        var running = pods.Count(p => p?.Alive == true);
        var ready = pods.Count(p => p?.Ready == true);
        var revision = $"{statefulSet.Metadata.Name}-{hash}";
        var status = statefulSet.Status;
        if (status?.ObservedGeneration == statefulSet.Metadata.Generation && status?.ReadyReplicas == ready && status?.Replicas == running && status?.UpdateRevision == revision)
        {
            return;
        }

        var patch = new
        {
            status = new
            {
                observedGeneration = statefulSet.Metadata.Generation,
                replicas = running,
                readyReplicas = ready,
                availableReplicas = ready,
                currentReplicas = running,
                updatedReplicas = running,
                currentRevision = revision,
                updateRevision = revision,
            },
        };
        await _client.AppsV1.PatchNamespacedStatefulSetStatusAsync(
            new V1Patch(JsonSerializer.Serialize(patch), V1Patch.PatchType.MergePatch),
            statefulSet.Metadata.Name,
            statefulSet.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static string DeploymentPodName(string deploymentName) => deploymentName + "-local-0";

    /// <summary>
    /// The pod object a kubelet would report for a local runtime: the template's labels (and <paramref name="extraLabels"/>),
    /// Running at 127.0.0.1, its <c>health</c> port the port this process listens on, so the operator reads the
    /// runtime's /status (status.lag) as on a cluster. A pod of that name left over (an earlier process) is replaced.
    /// </summary>
    private async Task CreatePodAsync(string ns, V1PodTemplateSpec template, IReadOnlyDictionary<string, string> extraLabels, LocalWorkload workload, CancellationToken cancellationToken)
    {
        var name = workload.PodName;
        await DeletePodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in extraLabels)
        {
            labels[key] = value;
        }

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
                Labels = labels,
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
