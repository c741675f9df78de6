using System.Globalization;
using k8s.Models;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Lag;

/// <summary>
/// Why a resource's runtime pods do not run, as the kubelet reports it in their container statuses: a runtime
/// container that exited with an error (and is not running again), that waits in <c>CrashLoopBackOff</c>, or that
/// cannot start (its image cannot be pulled, its configuration is refused). <see cref="Message"/> carries the
/// container's last termination message (the runtime writes its reason there; with
/// <c>terminationMessagePolicy: FallbackToLogsOnError</c> the kubelet falls back to the end of its log). Pure.
/// </summary>
public sealed record RuntimeCrash(string Pod, string Reason, int? ExitCode, int Restarts, string Message)
{
    /// <summary>The longest a termination message is shown (the kubelet keeps at most 4,096 bytes of it).</summary>
    public const int MaxMessageLength = 1_000;

    private static readonly HashSet<string> WaitingFailures = new(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
        "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    /// <summary>The failure to show among the pods (the one restarted most, then by pod name); null when none fails.</summary>
    public static RuntimeCrash? Of(IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        return pods
            .Where(p => p.Metadata?.DeletionTimestamp is null)
            .Select(OfPod)
            .OfType<RuntimeCrash>()
            .OrderByDescending(c => c.Restarts)
            .ThenBy(c => c.Pod, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>One sentence for a condition message.</summary>
    public string Describe()
    {
        var exit = ExitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $", exit code {code}") : string.Empty;
        var restarts = string.Create(CultureInfo.InvariantCulture, $"{Restarts} restart{(Restarts == 1 ? string.Empty : "s")}");
        var message = Message.Length > 0 ? ": " + Message : " (no termination message)";
        return $"pod {Pod}: the runtime container is failing ({Reason}{exit}, {restarts}){message}";
    }

    private static RuntimeCrash? OfPod(V1Pod pod)
    {
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == WorkloadNames.ContainerName);
        if (status is null || (status.State?.Running is not null && status.Ready))
        {
            return null;
        }

        var name = pod.Metadata?.Name ?? "?";
        var lastExit = status.LastState?.Terminated;
        if (status.State?.Terminated is { } terminated && terminated.ExitCode != 0)
        {
            return new RuntimeCrash(name, terminated.Reason ?? "Error", terminated.ExitCode, status.RestartCount, Clean(terminated.Message));
        }

        if (status.State?.Waiting is { } waiting && waiting.Reason is { } reason && WaitingFailures.Contains(reason))
        {
            // A crash loop's reason is in the last termination; an image or configuration problem's in the waiting message.
            return lastExit is not null && lastExit.ExitCode != 0
                ? new RuntimeCrash(name, reason, lastExit.ExitCode, status.RestartCount, Clean(lastExit.Message))
                : new RuntimeCrash(name, reason, null, status.RestartCount, Clean(waiting.Message));
        }

        return null;
    }

    /// <summary>The message on one line, its end kept when it is long (the reason of an exit is usually last).</summary>
    private static string Clean(string? message)
    {
        var lines = (message ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = string.Join(" | ", lines);
        return text.Length <= MaxMessageLength ? text : "..." + text[^(MaxMessageLength - 3)..];
    }
}
