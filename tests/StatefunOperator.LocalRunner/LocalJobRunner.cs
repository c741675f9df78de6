using System.Text.Json;
using k8s;
using k8s.Models;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.LocalRunner;

/// <summary>
/// The Job controller and kubelet for the operator's Jobs (a <c>Delete</c> FunctionEndpoint's
/// <c>&lt;name&gt;-delete-state</c>), where no controller manager runs: each attempt is a local process with the pod
/// template's module, args and environment and a pod object (<c>&lt;job&gt;-local-&lt;attempt&gt;</c>, labelled
/// <c>job-name</c> as the Job controller labels its pods) that ends <c>Succeeded</c> or <c>Failed</c> with the
/// process's exit code and termination message. The Job's status follows as the Job controller writes it:
/// <c>active</c>, then <c>succeeded</c> and a <c>Complete</c> condition, or <c>failed</c> and, past
/// <c>backoffLimit</c> or <c>activeDeadlineSeconds</c>, a <c>Failed</c> condition; failed attempts are retried after
/// 10 s, doubling to at most 6 minutes. A Job whose owning FunctionEndpoint is gone is deleted with its pods, as the
/// garbage collector would. Called by <see cref="LocalWorkloadRunner"/> on its loop, which owns this state.
/// </summary>
internal sealed class LocalJobRunner(IKubernetes client, RunnerOptions options, LocalPodLauncher launcher) : IDisposable
{
    /// <summary>The label the Job controller puts on each pod of a Job, naming the Job.</summary>
    public const string JobNameLabel = "job-name";

    /// <summary>The label naming the uid of the Job a pod belongs to (a Job created again under a name gets another).</summary>
    public const string ControllerUidLabel = "controller-uid";

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(6);

    /// <summary>By <c>namespace/job</c>.</summary>
    private readonly Dictionary<string, LocalJobRun> _runs = new(StringComparer.Ordinal);

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var selector = $"{WorkloadNames.ManagedByLabel}={WorkloadNames.ManagedByValue}";
        var jobs = options.Namespace is { } only
            ? await client.BatchV1.ListNamespacedJobAsync(only, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.BatchV1.ListJobForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);

        // By namespace/job: the uid of the Job of that name that lives now.
        var live = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in jobs.Items)
        {
            var key = $"{job.Metadata.NamespaceProperty}/{job.Metadata.Name}";
            try
            {
                if (!await ControllerOwner.ExistsAsync(client, job, FunctionEndpoint.KindName, FunctionEndpoint.Plural, cancellationToken).ConfigureAwait(false))
                {
                    Console.WriteLine($"statefun-local-runner: job {key}: its FunctionEndpoint is gone; deleting the Job as the garbage collector would");
                    await DeleteJobAsync(job, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                live[key] = job.Metadata.Uid;
                await SyncJobAsync(key, job, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One Job's trouble stops neither the others nor the next sync.
                live.TryAdd(key, job.Metadata.Uid);
                Console.Error.WriteLine($"statefun-local-runner: job {key}: {e.Message}; trying again");
            }
        }

        foreach (var gone in _runs.Keys.Where(k => !live.ContainsKey(k)).ToList())
        {
            if (_runs[gone].Current is { } current)
            {
                Console.WriteLine($"statefun-local-runner: job {gone}: deleted; stopping its runtime");
                current.Dispose();
            }

            _runs.Remove(gone);
        }

        await DeleteOrphanPodsAsync(live, selector, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var run in _runs.Values)
        {
            run.Current?.Dispose();
        }

        _runs.Clear();
    }

    private async Task SyncJobAsync(string key, V1Job job, CancellationToken cancellationToken)
    {
        var ns = job.Metadata.NamespaceProperty;
        if (!_runs.TryGetValue(key, out var run) || run.Uid != job.Metadata.Uid)
        {
            // New, or deleted and created again under its name since the last sync: nothing of the old one carries over.
            run?.Current?.Dispose();
            run = new LocalJobRun(job.Metadata.Uid);
            _runs[key] = run;
        }

        if (Finished(job))
        {
            run.Current?.Dispose();
            run.Current = null;
            return;
        }

        var now = DateTime.UtcNow;
        var started = (job.Status?.StartTime ?? job.Metadata.CreationTimestamp ?? now).ToUniversalTime();
        if (job.Spec.ActiveDeadlineSeconds is { } deadline && now - started > TimeSpan.FromSeconds(deadline))
        {
            Console.WriteLine($"statefun-local-runner: job {key}: past its activeDeadlineSeconds ({deadline}); it fails");
            var failed = job.Status?.Failed ?? 0;
            if (run.Current is { } killed)
            {
                killed.Dispose();
                await launcher.ReportEndedAsync(ns, killed, "DeadlineExceeded", cancellationToken).ConfigureAwait(false);
                failed++;
            }

            await PatchStatusAsync(job, new { active = 0, failed, conditions = Ended("Failed", "DeadlineExceeded", "Job was active longer than specified deadline") }, cancellationToken).ConfigureAwait(false);
            run.Current = null;
            return;
        }

        if (run.Current is { Alive: true })
        {
            return;
        }

        if (run.Current is { } ended)
        {
            await EndedAsync(key, job, run, ended, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (now < run.NotBefore)
        {
            return;
        }

        var attempt = (job.Status?.Failed ?? 0) + (job.Status?.Succeeded ?? 0);
        var podName = $"{job.Metadata.Name}-local-{attempt}";
        var template = job.Spec.Template;
        var hash = LocalPodLauncher.Lookup(template.Metadata?.Annotations, WorkloadNames.ConfigHashAnnotation) ?? "none";
        var workload = await launcher.StartAsync($"job {key}", ns, job.Metadata.Name, podName, template, hash, cancellationToken).ConfigureAwait(false);
        if (workload is null)
        {
            run.NotBefore = now + FirstBackoff;
            return;
        }

        try
        {
            var labels = new Dictionary<string, string> { [JobNameLabel] = job.Metadata.Name, [ControllerUidLabel] = job.Metadata.Uid };
            await launcher.CreatePodAsync(ns, template, labels, workload, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // No pod object, no process: the next sync starts both again.
            workload.Dispose();
            throw;
        }

        run.Current = workload;
        await PatchStatusAsync(job, new { active = 1, startTime = job.Status?.StartTime ?? now }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An attempt's process exited: its pod says how, and the Job counts it (and ends on success or the last failure).
    /// The attempt is forgotten only once both are written, so a failed write is done again at the next sync, not lost
    /// (both writes say the same again).
    /// </summary>
    private async Task EndedAsync(string key, V1Job job, LocalJobRun run, LocalWorkload ended, CancellationToken cancellationToken)
    {
        var exitCode = ended.Process.ExitCode;
        var message = ended.TerminationMessage();
        await launcher.ReportEndedAsync(job.Metadata.NamespaceProperty, ended, null, cancellationToken).ConfigureAwait(false);
        if (exitCode == 0)
        {
            await PatchStatusAsync(job, new { active = 0, succeeded = 1, completionTime = DateTime.UtcNow, conditions = Ended("Complete", null, null) }, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"statefun-local-runner: job {key}: {ended.PodName} succeeded");
        }
        else
        {
            var failed = (job.Status?.Failed ?? 0) + 1;
            var limit = job.Spec.BackoffLimit ?? 6;
            if (failed > limit)
            {
                await PatchStatusAsync(job, new { active = 0, failed, conditions = Ended("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit") }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PatchStatusAsync(job, new { active = 0, failed }, cancellationToken).ConfigureAwait(false);
                run.NotBefore = DateTime.UtcNow + Backoff(failed);
            }

            Console.WriteLine($"statefun-local-runner: job {key}: {ended.PodName} failed (exit code {exitCode}, attempt {failed} of {limit + 1}){(message.Length > 0 ? ": " + message : string.Empty)}");
        }

        ended.Dispose();
        run.Current = null;
    }

    /// <summary>The Job controller's backoff before attempt <paramref name="failed"/> + 1: 10 s, doubling, at most 6 minutes.</summary>
    internal static TimeSpan Backoff(int failed) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, FirstBackoff.TotalSeconds * Math.Pow(2, Math.Max(0, failed - 1))));

    private static bool Finished(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    /// <summary>
    /// The conditions a Job ends with, as the Job controller of Kubernetes 1.31 and later writes them (the API server
    /// then refuses <c>Complete</c> without <c>SuccessCriteriaMet</c>, and <c>Failed</c> without <c>FailureTarget</c>);
    /// older API servers take them as they are.
    /// </summary>
    private static object[] Ended(string type, string? reason, string? message)
    {
        var now = DateTime.UtcNow;
        var target = type == "Complete" ? "SuccessCriteriaMet" : "FailureTarget";
        return
        [
            new { type = target, status = "True", reason, message, lastProbeTime = now, lastTransitionTime = now },
            new { type, status = "True", reason, message, lastProbeTime = now, lastTransitionTime = now },
        ];
    }

    private async Task PatchStatusAsync(V1Job job, object status, CancellationToken cancellationToken) =>
        await client.BatchV1.PatchNamespacedJobStatusAsync(
            new V1Patch(JsonSerializer.Serialize(new { status }), V1Patch.PatchType.MergePatch),
            job.Metadata.Name,
            job.Metadata.NamespaceProperty,
            cancellationToken: cancellationToken).ConfigureAwait(false);

    private async Task DeleteJobAsync(V1Job job, CancellationToken cancellationToken)
    {
        try
        {
            // Background, as kubectl deletes: a Job's API default (orphan) would leave it waiting for a garbage collector that does not run here.
            await client.BatchV1.DeleteNamespacedJobAsync(job.Metadata.Name, job.Metadata.NamespaceProperty, propagationPolicy: "Background", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // Gone already.
        }
    }

    /// <summary>The garbage collector's part for Job pods: a pod of a Job that no longer exists (by uid) goes.</summary>
    private async Task DeleteOrphanPodsAsync(Dictionary<string, string> liveJobs, string selector, CancellationToken cancellationToken)
    {
        var podSelector = $"{selector},{JobNameLabel}";
        var pods = options.Namespace is { } only
            ? await client.CoreV1.ListNamespacedPodAsync(only, labelSelector: podSelector, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: podSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var pod in pods.Items)
        {
            var job = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Labels[JobNameLabel]}";
            if (!liveJobs.TryGetValue(job, out var uid) || LocalPodLauncher.Lookup(pod.Metadata.Labels, ControllerUidLabel) != uid)
            {
                await launcher.DeletePodAsync(pod.Metadata.NamespaceProperty, pod.Metadata.Name, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
