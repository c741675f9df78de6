using k8s.Models;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Lag;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// Why the Job that deletes a host's state does not succeed, read from its pods. A pod that cannot run at all (its
/// image cannot be pulled, its configuration is refused, no node takes it) comes first: the Job's status shows nothing
/// of it, and the pod would wait so until the deletion's bound. Otherwise the last failed attempt's termination message
/// (the runtime writes why it failed there). Pure.
/// </summary>
/// <param name="CannotStart">True when a pod cannot start; false when attempts ran and failed.</param>
/// <param name="Reason">The kubelet's or the runtime's words.</param>
public sealed record CleanupJobTrouble(bool CannotStart, string Reason)
{
    /// <summary>The trouble among the Job's pods; null when none shows any.</summary>
    public static CleanupJobTrouble? Of(IReadOnlyCollection<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        var live = pods.Where(p => p.Metadata?.DeletionTimestamp is null && p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        if (RuntimeCrash.Of(live.Where(p => Container(p)?.State?.Waiting is not null)) is { } stuck)
        {
            return new CleanupJobTrouble(true, stuck.Describe());
        }

        var unscheduled = live
            .Select(p => (Pod: p.Metadata?.Name ?? "?", Condition: p.Status?.Conditions?.FirstOrDefault(c => c is { Type: "PodScheduled", Status: "False", Reason: "Unschedulable" })))
            .Where(p => p.Condition is not null)
            .OrderBy(p => p.Pod, StringComparer.Ordinal)
            .Select(p => new CleanupJobTrouble(true, $"pod {p.Pod} is not scheduled: {p.Condition!.Message}"))
            .FirstOrDefault();
        if (unscheduled is not null)
        {
            return unscheduled;
        }

        var lastFailure = pods
            .Select(p => Container(p)?.State?.Terminated)
            .Where(t => t is { ExitCode: not 0 })
            .OrderByDescending(t => t!.FinishedAt)
            .Select(t => t!.Message?.Trim())
            .FirstOrDefault(m => m is { Length: > 0 });
        return lastFailure is null ? null : new CleanupJobTrouble(false, lastFailure);
    }

    /// <summary>The warning while the operator still retries, until <paramref name="bound"/> after the deletion.</summary>
    public string Describe(int failedAttempts, string bound) => CannotStart
        ? $"The Job deleting the host's state cannot start (the operator waits until {bound} after the deletion, then leaves the state behind): {Reason}"
        : $"Deleting the host's state failed ({failedAttempts} attempts, retried until {bound} after the deletion): {Reason}";

    private static V1ContainerStatus? Container(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == WorkloadNames.ContainerName);
}
