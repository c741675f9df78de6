using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Desired;
using StatefunOperator.Operator.Model;

namespace StatefunOperator.Operator.Validation;

/// <summary>
/// Validates a KafkaIngress and its references (egresses, function endpoints of its namespace). Pure.
/// The CRD schema already rejects most malformed values at admission; this also covers what a schema
/// cannot say (dates, offsets keys, references) and objects admitted by an older or schemaless CRD.
/// </summary>
public static class KafkaIngressValidator
{
    public const int MaxNameLength = 63;

    public static ValidationResult Validate(
        KafkaIngress ingress,
        IReadOnlyCollection<KafkaEgress> namespaceEgresses,
        IReadOnlyCollection<FunctionEndpoint> namespaceEndpoints)
    {
        var checks = new FieldChecks();
        ValidateSpec(ingress, checks);
        ValidateReferences(ingress, namespaceEgresses, namespaceEndpoints, checks);
        return new ValidationResult(checks.Errors);
    }

    /// <summary>What the ingress says by itself, without its references (the admission webhook's part).</summary>
    public static ValidationResult ValidateOwn(KafkaIngress ingress)
    {
        ArgumentNullException.ThrowIfNull(ingress);
        var checks = new FieldChecks();
        ValidateSpec(ingress, checks);
        return new ValidationResult(checks.Errors);
    }

    private static void ValidateSpec(KafkaIngress ingress, FieldChecks checks)
    {
        var spec = ingress.Spec;
        if (ingress.Metadata.Name is { Length: > MaxNameLength } name)
        {
            checks.Add("metadata.name", $"\"{name}\" is longer than {MaxNameLength} characters (it labels the runtime pods)");
        }

        ModuleRuleErrors.AddTo(checks, KafkaIngressRules.Validate(CustomResourceModel.Ingress(ingress)));
        checks.Security("spec.security", spec.Security);
        if (spec.Replicas is < 0)
        {
            checks.Add("spec.replicas", $"must not be negative (got {spec.Replicas})");
        }

        checks.Quantities("spec.resources.requests", spec.Resources?.Requests);
        checks.Quantities("spec.resources.limits", spec.Resources?.Limits);
    }

    private static void ValidateReferences(
        KafkaIngress ingress,
        IReadOnlyCollection<KafkaEgress> namespaceEgresses,
        IReadOnlyCollection<FunctionEndpoint> namespaceEndpoints,
        FieldChecks checks)
    {
        var namespaceName = ingress.Metadata.NamespaceProperty;
        var egresses = ingress.Spec.Egresses ?? [];
        for (var index = 0; index < egresses.Count; index++)
        {
            var field = $"spec.egresses[{index}]";
            var egress = namespaceEgresses.FirstOrDefault(e => e.Metadata.Name == egresses[index]);
            if (egress is null)
            {
                checks.Add(field, $"KafkaEgress \"{egresses[index]}\" does not exist in namespace \"{namespaceName}\"", ValidationReasons.EgressNotFound);
                continue;
            }

            var egressValidation = KafkaEgressValidator.Validate(egress);
            if (!egressValidation.IsValid)
            {
                checks.Add(field, $"KafkaEgress \"{egresses[index]}\" is invalid: {egressValidation.Message}", ValidationReasons.EgressInvalid);
            }
        }

        var topics = ingress.Spec.Topics ?? [];
        ValidateForwarding(ingress, topics, namespaceEgresses, checks);
        var hosts = new List<(string Id, string Address)>();
        for (var topic = 0; topic < topics.Count; topic++)
        {
            var targets = topics[topic].Targets ?? [];
            for (var target = 0; target < targets.Count; target++)
            {
                var functionType = targets[target];
                if (!Module.TypeName.TryParse(functionType, out _, out _))
                {
                    continue; // the spec's own rules already name this target
                }

                var served = namespaceEndpoints.FirstOrDefault(endpoint =>
                    FunctionTypePattern.Matches(endpoint.Spec.Functions, functionType)
                    && FunctionEndpointValidator.Validate(endpoint).IsValid);
                if (served is null)
                {
                    checks.Add(
                        $"spec.topics[{topic}].targets[{target}]",
                        $"no valid FunctionEndpoint in namespace \"{namespaceName}\" serves function type \"{functionType}\"",
                        ValidationReasons.FunctionEndpointNotFound);
                }
                else if (served.Spec.Address is { Length: > 0 } address)
                {
                    hosts.Add(("FunctionEndpoint " + served.Metadata.Name, address));
                }
            }
        }

        // What the runtime would refuse at start (IngressPipeline): one ingress writes to one Kafka cluster.
        var forwarded = topics.Select(t => t.Egress).FirstOrDefault(e => e is { Length: > 0 });
        var forward = namespaceEgresses.FirstOrDefault(e => e.Metadata.Name == forwarded) is { Spec.Address: { Length: > 0 } egressAddress }
            ? ("KafkaEgress " + forwarded, egressAddress)
            : ((string, string)?)null;
        if (IngressClusters.Problem(forward, hosts) is { } clusters)
        {
            checks.Add("spec.topics", clusters);
        }
    }

    private static void ValidateForwarding(KafkaIngress ingress, List<IngressTopic> topics, IReadOnlyCollection<KafkaEgress> namespaceEgresses, FieldChecks checks)
    {
        var listed = ingress.Spec.Egresses ?? [];
        string? first = null;
        for (var index = 0; index < topics.Count; index++)
        {
            if (topics[index].Egress is not { Length: > 0 } name)
            {
                continue;
            }

            var field = $"spec.topics[{index}].egress";
            if (!listed.Contains(name))
            {
                checks.Add(field, $"KafkaEgress \"{name}\" is not listed in spec.egresses", ValidationReasons.EgressNotFound);
                continue;
            }

            first ??= name;
            if (name != first)
            {
                checks.Add(field, $"forwards to \"{name}\" while another topic forwards to \"{first}\"; one ingress forwards to one egress (records and offsets commit together)");
            }

            var egress = namespaceEgresses.FirstOrDefault(e => e.Metadata.Name == name);
            if (egress is not null && egress.Spec.Address == ingress.Spec.Address && (topics[index].EgressTopic ?? topics[index].Topic) == topics[index].Topic)
            {
                checks.Add(field, $"forwarding \"{topics[index].Topic}\" to itself on the same cluster would loop; set egressTopic");
            }
        }
    }
}
