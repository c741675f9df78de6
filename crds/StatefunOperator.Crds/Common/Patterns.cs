namespace StatefunOperator.Crds.Common;

/// <summary>Regular expressions shared by the OpenAPI schema and the operator's validation.</summary>
public static class Patterns
{
    /// <summary>A Kubernetes object name (DNS-1123 subdomain).</summary>
    public const string DnsSubdomain = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A Kafka topic name.</summary>
    public const string KafkaTopic = "^[a-zA-Z0-9._-]{1,249}$";

    /// <summary>
    /// A value type: text without white space (<c>com.example/User</c>, or the older form's protobuf name
    /// <c>org.example.User</c>). Admission only screens; the module model's validation has the last word.
    /// </summary>
    public const string TypeName = "^\\S+$";

    /// <summary>A function type <c>namespace/name</c> (no wildcard).</summary>
    public const string FunctionType = "^\\S+/[^/\\s]+$";

    /// <summary>A function type pattern <c>namespace/name</c> or <c>namespace/*</c>.</summary>
    public const string FunctionTypePattern = "^\\S+/[^/\\s]+$";

    /// <summary>Bytes as Kubernetes writes memory with binary suffixes (module model: <c>ByteSize</c>).</summary>
    public const string ByteSize = "^[0-9]+(Ki|Mi|Gi|Ti)?$";

    /// <summary>A duration as StateFun writes it: a number and a unit, <c>2m</c>, <c>15min</c>, <c>20s</c>, <c>500ms</c>.</summary>
    public const string Duration = "^[0-9]+(\\.[0-9]+)?\\s*[A-Za-z]*$";

    /// <summary>A condition reason (metav1.Condition).</summary>
    public const string ConditionReason = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";
}
