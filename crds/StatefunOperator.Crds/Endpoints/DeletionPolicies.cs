namespace StatefunOperator.Crds.Endpoints;

/// <summary>Values of <c>spec.deletionPolicy</c>: what deleting a FunctionEndpoint does to its state in Kafka and on volumes.</summary>
public static class DeletionPolicies
{
    /// <summary>Topics, consumer group and volumes stay (the default: state is precious).</summary>
    public const string Keep = "Keep";

    /// <summary>The host is stopped, then its topics, consumer group and volumes are deleted.</summary>
    public const string Delete = "Delete";
}
