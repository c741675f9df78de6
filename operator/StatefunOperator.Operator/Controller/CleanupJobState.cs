namespace StatefunOperator.Operator.Controller;

/// <summary>Where the Job deleting a host's state is (<see cref="Desired.HostStateDeletionJob"/>).</summary>
public enum CleanupJobState
{
    Absent,
    Running,
    Succeeded,

    /// <summary>Out of retries or past its deadline.</summary>
    Failed,
}
