using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.LocalRunner;

/// <summary>
/// What a kubelet does for one pod, done with a local process: the pod template's module file (its ConfigMap) copied
/// under the state directory, the container's args and environment (literal values, Secret keys, the pod's name and
/// namespace), a termination message file (<c>termination-log</c>, read back when the process ends), and the pod object
/// that reports it. Used by <see cref="LocalWorkloadRunner"/> for Deployments and StatefulSets and by
/// <see cref="LocalJobRunner"/> for Jobs. No state of its own.
/// </summary>
internal sealed class LocalPodLauncher(IKubernetes client, RunnerOptions options)
{
    /// <summary>The file the runtime writes why it exits to (the container's terminationMessagePath stand-in).</summary>
    public const string TerminationLogName = "termination-log";

    /// <summary>The runtime's TerminationMessage.PathVariable (this tool runs the runtime as a process and does not reference it).</summary>
    private const string TerminationMessagePathVariable = "STATEFUN_TERMINATION_MESSAGE_PATH";

    /// <param name="key">For messages: namespace/pod.</param>
    /// <param name="ns">The workload's namespace.</param>
    /// <param name="directoryName">The folder under the state directory (a Deployment's name, a StatefulSet pod's name, a Job's name).</param>
    /// <param name="podName">What <c>metadata.name</c> field references resolve to.</param>
    /// <param name="template">The pod template.</param>
    /// <param name="hash">The config hash it runs.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public async Task<LocalWorkload?> StartAsync(string key, string ns, string directoryName, string podName, V1PodTemplateSpec template, string hash, CancellationToken cancellationToken)
    {
        var configMapName = template.Spec.Volumes?.FirstOrDefault(v => v.ConfigMap is not null)?.ConfigMap.Name;
        if (configMapName is null)
        {
            Console.Error.WriteLine($"statefun-local-runner: {key}: no ConfigMap volume in the pod template");
            return null;
        }

        var configMap = await client.CoreV1.ReadNamespacedConfigMapAsync(configMapName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (Lookup(configMap.Data, WorkloadNames.ModuleFileName) is not { } module)
        {
            Console.Error.WriteLine($"statefun-local-runner: {key}: ConfigMap {configMapName} has no {WorkloadNames.ModuleFileName}");
            return null;
        }

        var directory = Path.Combine(options.StateDirectory, ns, directoryName);
        Directory.CreateDirectory(directory);
        var modulePath = Path.Combine(directory, WorkloadNames.ModuleFileName);
        await File.WriteAllTextAsync(modulePath, module, cancellationToken).ConfigureAwait(false);
        var container = template.Spec.Containers.First();
        var environment = await EnvironmentAsync(ns, container, podName, cancellationToken).ConfigureAwait(false);

        // As the kubelet does: an empty file the runtime may write its last words to (it writes only where one exists).
        var terminationLog = Path.Combine(directory, TerminationLogName);
        await File.WriteAllTextAsync(terminationLog, string.Empty, cancellationToken).ConfigureAwait(false);
        environment[TerminationMessagePathVariable] = terminationLog;
        var arguments = Arguments(container, modulePath);
        var log = Path.Combine(directory, "runtime.log");
        Console.WriteLine($"statefun-local-runner: {key}: starting the runtime {string.Join(' ', arguments)} (config hash {hash}); log {log}");
        var workload = LocalWorkload.Start(podName, options.RuntimeDll, arguments, log, environment, hash, terminationLog);
        // For people and scripts who want to kill -9 one pod (make run does, to show recovery).
        // Not cancelled half-way: the process runs now, and its caller must get it to stop it.
        await File.WriteAllTextAsync(Path.Combine(directory, "runtime.pid"), workload.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
        return workload;
    }

    /// <summary>
    /// The pod object a kubelet would report for a local runtime: the template's labels (and <paramref name="extraLabels"/>),
    /// Running at 127.0.0.1, its <c>health</c> port the port this process listens on, so the operator reads the
    /// runtime's /status (status.lag) as on a cluster. A pod of that name left over (an earlier process) is replaced.
    /// </summary>
    public async Task CreatePodAsync(string ns, V1PodTemplateSpec template, IReadOnlyDictionary<string, string> extraLabels, LocalWorkload workload, CancellationToken cancellationToken)
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
            Spec = new V1PodSpec { Containers = containers, RestartPolicy = template.Spec.RestartPolicy },
        };
        await client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        var status = new { status = new { phase = "Running", podIP = "127.0.0.1", podIPs = new[] { new { ip = "127.0.0.1" } } } };
        await client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch(JsonSerializer.Serialize(status), V1Patch.PatchType.MergePatch), name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The pod of a process that ended, as a kubelet reports it: <c>Succeeded</c> or <c>Failed</c>, its container
    /// terminated with the exit code and the termination message the process wrote. A pod deleted meanwhile has nothing
    /// to report.
    /// </summary>
    /// <param name="ns">The pod's namespace.</param>
    /// <param name="workload">The ended (or killed) process.</param>
    /// <param name="reason">Why it ended, when not by itself (the pod fails with this reason).</param>
    /// <param name="cancellationToken">Stops the write.</param>
    public async Task ReportEndedAsync(string ns, LocalWorkload workload, string? reason, CancellationToken cancellationToken)
    {
        var exitCode = reason is null ? workload.Process.ExitCode : 137;
        var container = new
        {
            name = WorkloadNames.ContainerName,
            image = "local",
            imageID = string.Empty,
            ready = false,
            restartCount = 0,
            state = new
            {
                terminated = new
                {
                    exitCode,
                    reason = reason ?? (exitCode == 0 ? "Completed" : "Error"),
                    message = workload.TerminationMessage(),
                    startedAt = workload.Started,
                    finishedAt = DateTime.UtcNow,
                },
            },
        };
        var status = new { status = new { phase = exitCode == 0 ? "Succeeded" : "Failed", reason, containerStatuses = new[] { container } } };
        try
        {
            await client.CoreV1.PatchNamespacedPodStatusAsync(
                new V1Patch(JsonSerializer.Serialize(status), V1Patch.PatchType.MergePatch), workload.PodName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Deleted by hand: nobody reads it.
        }
    }

    public async Task DeletePodAsync(string ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: 0, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Not there.
        }
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
                var secret = await client.CoreV1.ReadNamespacedSecretAsync(secretRef.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
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

    internal static T? Lookup<T>(IDictionary<string, T>? values, string key)
        where T : class =>
        values is not null && values.TryGetValue(key, out var value) ? value : null;
}
