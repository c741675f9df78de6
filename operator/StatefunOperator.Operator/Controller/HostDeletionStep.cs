namespace StatefunOperator.Operator.Controller;

/// <summary>What a FunctionEndpoint's reconcile does next about its deletion policy (<see cref="HostDeletion.Next"/>).</summary>
public enum HostDeletionStep
{
    /// <summary>Nothing to do about deletion.</summary>
    None,

    /// <summary>deletionPolicy Delete: the finalizer goes on, so the operator sees the deletion before the object goes.</summary>
    AddFinalizer,

    /// <summary>deletionPolicy Keep (again): the finalizer comes off.</summary>
    RemoveFinalizer,

    /// <summary>Deleting: stop the host first (a running host would create its topics again).</summary>
    DeleteStatefulSet,

    /// <summary>Deleting: the host's pods are still there (a group with members cannot be deleted).</summary>
    WaitForPods,

    /// <summary>Deleting: the pods are gone, but KafkaIngresses still route records to its functions (they would create the inbox again).</summary>
    WaitForIngresses,

    /// <summary>Deleting: the pods are gone; start the Job that deletes the group and topics.</summary>
    StartCleanup,

    /// <summary>Deleting: the Job runs.</summary>
    WaitForCleanup,

    /// <summary>Deleting: Kafka is clean; the host pods' volumes go, then the finalizer.</summary>
    Finish,

    /// <summary>Deleting: the bound passed or the Job failed for good; the finalizer comes off and an event says what is left.</summary>
    GiveUp,
}
