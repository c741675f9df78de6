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
/// when it starts and deleted when it stops, so <c>kubectl get pods</c> and the operator's lag collector see it. The
/// operator's Jobs run too (<see cref="LocalJobRunner"/>). Everything here is owned by the <see cref="RunAsync"/> loop.
/// </summary>
public sealed class LocalWorkloadRunner : IDisposable
{
    /// <summary>The label the statefulset controller puts on each of its pods, naming the pod.</summary>
    public const string StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name";

    private readonly IKubernetes _client;
    private readonly RunnerOptions _options;
    private readonly LocalPodLauncher _launcher;
    private readonly LocalJobRunner _jobs;

    /// <summary>By <c>namespace/pod</c>: a Deployment's one process under the Deployment's name, a StatefulSet's under its pods' names.</summary>
    private readonly Dictionary<string, LocalWorkload> _workloads = new(StringComparer.Ordinal);

    public LocalWorkloadRunner(IKubernetes client, RunnerOptions options)
    {
        _client = client;
        _options = options;
        _launcher = new LocalPodLauncher(client, options);
        _jobs = new LocalJobRunner(client, options, _launcher);
    }

    /// <summary>The pods (<c>namespace/pod</c>) with a live process, in name order (tests read it).</summary>
    public IReadOnlyList<string> Running => _workloads.Where(w => w.Value.Alive).Select(w => w.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>The args a pod's process was started with (empty when none runs).</summary>
    public IReadOnlyList<string> ArgumentsOf(string pod) => _workloads.TryGetValue(pod, out var workload) ? workload.Arguments : [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            // The workloads and the Jobs each in their own try: trouble with one never starves the other.
            if (!await TryAsync(SyncAsync, cancellationToken).ConfigureAwait(false) || !await TryAsync(_jobs.SyncAsync, cancellationToken).ConfigureAwait(false))
            {
                break;
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
        _jobs.Dispose();
    }

    /// <summary>One sync; false when stopped. Any other failure (the API server, a process that would not start) is logged and tried again at the next poll.</summary>
    private static async Task<bool> TryAsync(Func<CancellationToken, Task> sync, CancellationToken cancellationToken)
    {
        try
        {
            await sync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped in the middle of a call to the API server.
            return false;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"statefun-local-runner: {e.GetType().Name}: {e.Message}; retrying");
            return true;
        }
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
            if (!await ControllerOwner.ExistsAsync(_client, deployment, KafkaIngress.KindName, KafkaIngress.Plural, cancellationToken).ConfigureAwait(false))
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
            if (!await ControllerOwner.ExistsAsync(_client, statefulSet, FunctionEndpoint.KindName, FunctionEndpoint.Plural, cancellationToken).ConfigureAwait(false))
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
            current = await _launcher.StartAsync(key, ns, directoryName, podName, template, hash, cancellationToken).ConfigureAwait(false);
            if (current is not null)
            {
                try
                {
                    await _launcher.CreatePodAsync(ns, template, extraLabels, current, cancellationToken).ConfigureAwait(false);
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
        await _launcher.DeletePodAsync(key.Split('/')[0], workload.PodName, cancellationToken).ConfigureAwait(false);
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

    private static T? Lookup<T>(IDictionary<string, T>? values, string key)
        where T : class => LocalPodLauncher.Lookup(values, key);
}
