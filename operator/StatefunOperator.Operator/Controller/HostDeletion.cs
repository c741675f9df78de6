using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Model;

namespace StatefunOperator.Operator.Controller;

/// <summary>
/// The decisions of a FunctionEndpoint's deletion policy (<c>spec.deletionPolicy</c>). Keep (the default): nothing
/// happens on deletion, the host's topics, consumer group and volumes stay. Delete: a finalizer holds the object while
/// the operator stops the host (StatefulSet), waits for its pods to go and for no KafkaIngress to route to it, runs the Job that deletes the group and topics,
/// deletes the pods' volumes, and removes the finalizer. A broker that cannot be reached is retried (the Job's
/// backoff) until <see cref="OperatorOptions.DeletionTimeout"/> after the deletion: then the finalizer comes off
/// anyway (a namespace deletion never hangs on it) and an event names what was left behind. Pure.
/// </summary>
public static class HostDeletion
{
    public const string Finalizer = "statefun.dev/delete-host-state";

    public static bool DeletesState(FunctionEndpoint endpoint) =>
        endpoint.Spec.DeletionPolicy == DeletionPolicies.Delete;

    public static bool HasFinalizer(FunctionEndpoint endpoint) =>
        endpoint.Metadata.Finalizers?.Contains(Finalizer) == true;

    /// <param name="endpoint">The FunctionEndpoint as the cache has it.</param>
    /// <param name="statefulSetExists">Whether its host's StatefulSet exists.</param>
    /// <param name="podsLeft">Host pods still there.</param>
    /// <param name="routingIngresses">KafkaIngresses whose workers may still send records to its functions (they run and
    /// their topics target them, or they were deleted and their pods are stopping): those records would create the
    /// deleted inbox topic again on a broker that auto-creates topics (with the broker's default partitions), so the
    /// state is deleted only once there are none.</param>
    /// <param name="job">The cleanup Job's state.</param>
    /// <param name="sinceDeletion">Time since the deletion timestamp.</param>
    /// <param name="bound">How long the operator tries before it gives up.</param>
    public static HostDeletionStep Next(FunctionEndpoint endpoint, bool statefulSetExists, int podsLeft, int routingIngresses, CleanupJobState job, TimeSpan sinceDeletion, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Metadata.DeletionTimestamp is null)
        {
            return (DeletesState(endpoint), HasFinalizer(endpoint)) switch
            {
                (true, false) => HostDeletionStep.AddFinalizer,
                (false, true) => HostDeletionStep.RemoveFinalizer,
                _ => HostDeletionStep.None,
            };
        }

        if (!HasFinalizer(endpoint))
        {
            return HostDeletionStep.None;
        }

        if (sinceDeletion > bound || job == CleanupJobState.Failed)
        {
            return HostDeletionStep.GiveUp;
        }

        if (statefulSetExists)
        {
            return HostDeletionStep.DeleteStatefulSet;
        }

        if (podsLeft > 0)
        {
            return HostDeletionStep.WaitForPods;
        }

        if (routingIngresses > 0 && job == CleanupJobState.Absent)
        {
            return HostDeletionStep.WaitForIngresses;
        }

        return job switch
        {
            CleanupJobState.Absent => HostDeletionStep.StartCleanup,
            CleanupJobState.Running => HostDeletionStep.WaitForCleanup,
            _ => HostDeletionStep.Finish,
        };
    }

    /// <summary>What deleting the endpoint does to its state, for <c>status.onDelete</c>.</summary>
    public static string OnDeleteMessage(FunctionEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var what = LeftBehind(endpoint);
        return DeletesState(endpoint)
            ? $"Delete: deleting this FunctionEndpoint stops its host, waits until no KafkaIngress routes records to its functions, then deletes {what}"
            : $"Keep: deleting this FunctionEndpoint leaves {what}; one created again under this name finds that state (spec.deletionPolicy: Delete to remove them)";
    }

    /// <summary>Why deleting the state waits: the ingresses that still route to the endpoint, and what to do.</summary>
    public static string WaitingForIngressesMessage(IReadOnlyList<string> ingresses, DateTime giveUpAt)
    {
        ArgumentNullException.ThrowIfNull(ingresses);
        var verb = ingresses.Count == 1 ? "routes" : "route";
        var until = giveUpAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return $"Waiting to delete the host's state: {IngressesNamed(ingresses)} still {verb} records to this endpoint's functions, "
            + "and a broker that creates topics on first use would create the deleted inbox topic again for them, with its default partitions. "
            + $"Delete them or remove these targets; if they still do at {until}, the state is left behind instead";
    }

    /// <summary>Why the operator gave up deleting the state at <paramref name="bound"/> (or when the Job failed for good), for the <c>StateLeftBehind</c> event.</summary>
    /// <param name="jobName">The cleanup Job's name.</param>
    /// <param name="job">Its state.</param>
    /// <param name="trouble">What its pods show, when it exists.</param>
    /// <param name="routing">The KafkaIngresses still routing to the functions (looked at only while there is no Job).</param>
    /// <param name="bound">The bound, in words.</param>
    public static string GiveUpReason(string jobName, CleanupJobState job, CleanupJobTrouble? trouble, IReadOnlyList<string> routing, string bound)
    {
        ArgumentNullException.ThrowIfNull(routing);
        if (job == CleanupJobState.Failed)
        {
            return $"the Job {jobName} failed: {trouble?.Reason ?? "see its pods"}";
        }

        if (trouble is { CannotStart: true })
        {
            return $"the Job {jobName} could not start in {bound}: {trouble.Reason}";
        }

        if (job == CleanupJobState.Absent && routing.Count > 0)
        {
            return $"{IngressesNamed(routing)} still routed records to its functions {bound} after the deletion";
        }

        var last = trouble is null ? string.Empty : ": " + trouble.Reason;
        return $"not done {bound} after the deletion (the host still stopping, or the broker not answering{last})";
    }

    /// <summary>"KafkaIngress a" or "KafkaIngresses a, b".</summary>
    public static string IngressesNamed(IReadOnlyList<string> ingresses)
    {
        ArgumentNullException.ThrowIfNull(ingresses);
        return (ingresses.Count == 1 ? "KafkaIngress " : "KafkaIngresses ") + string.Join(", ", ingresses);
    }

    /// <summary>The host's state, named: topics, consumer group, volumes.</summary>
    public static string LeftBehind(FunctionEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var hostId = CustomResourceModel.HostId(endpoint);
        return $"the topics {FunctionHosts.InboxTopic(hostId)} and {FunctionHosts.ChangelogTopic(hostId)}, the consumer group {FunctionHosts.GroupId(hostId)} and the host pods' volumes";
    }
}
