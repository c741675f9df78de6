namespace StatefunOperator.Module.Validation;

/// <summary>The effective settings of a function host (defaults applied), from <see cref="FunctionHosts.Resolve"/>.</summary>
public sealed record FunctionHostSettings(
    string Id,
    string Address,
    int Partitions,
    bool ExactlyOnce,
    TimeSpan TransactionTimeout,
    IReadOnlyList<KeyValuePair<string, string>> Properties)
{
    /// <summary>Where a batch failing longer than its duration goes; null: retried for ever.</summary>
    public DeadLetterSettings? DeadLetter { get; init; }

    /// <summary>How much the host buffers and calls at once.</summary>
    public HostLimits Limits { get; init; } = HostLimits.Default;

    /// <summary>The state stores' volume (none: the pod's emptyDir) and memory.</summary>
    public HostStorage Storage { get; init; } = HostStorage.Default;

    public string InboxTopic => FunctionHosts.InboxTopic(Id);

    public string ChangelogTopic => FunctionHosts.ChangelogTopic(Id);

    /// <summary>The Kafka client properties as a new map (a later duplicate key wins).</summary>
    public Dictionary<string, string> PropertyMap() => Model.PropertyList.ToMap(Properties);
}
