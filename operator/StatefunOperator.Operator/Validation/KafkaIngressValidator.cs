using StatefunOperator.Crds.Common;
using StatefunOperator.Crds.Egress;
using StatefunOperator.Crds.Endpoints;
using StatefunOperator.Crds.Ingress;
using StatefunOperator.Operator.Desired;

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

    private static void ValidateSpec(KafkaIngress ingress, FieldChecks checks)
    {
        var spec = ingress.Spec;
        if (ingress.Metadata.Name is { Length: > MaxNameLength } name)
        {
            checks.Add("metadata.name", $"\"{name}\" is longer than {MaxNameLength} characters (it labels the runtime pods)");
        }

        checks.Required("spec.address", spec.Address);
        checks.Required("spec.consumerGroupId", spec.ConsumerGroupId);
        if (spec.Topics is not { Count: > 0 })
        {
            checks.Add("spec.topics", "needs at least one topic");
        }

        var topicNames = new HashSet<string>(StringComparer.Ordinal);
        for (var index = 0; index < (spec.Topics?.Count ?? 0); index++)
        {
            var topic = spec.Topics![index];
            var field = $"spec.topics[{index}]";
            checks.Required($"{field}.topic", topic.Topic);
            checks.Matches($"{field}.topic", topic.Topic, Patterns.KafkaTopic, "a Kafka topic name");
            if (!string.IsNullOrEmpty(topic.Topic) && !topicNames.Add(topic.Topic))
            {
                checks.Add($"{field}.topic", $"topic \"{topic.Topic}\" is listed twice; list its targets once");
            }

            var forwardOnly = !string.IsNullOrEmpty(topic.Egress) && topic.Targets is not { Count: > 0 };
            if (!forwardOnly)
            {
                checks.Required($"{field}.valueType", topic.ValueType);
                if (topic.Targets is not { Count: > 0 })
                {
                    checks.Add($"{field}.targets", "needs at least one function type (or an egress to forward to)");
                }
            }

            checks.Matches($"{field}.valueType", topic.ValueType, Patterns.TypeName, "a type name namespace/name");
            checks.Matches($"{field}.egressTopic", topic.EgressTopic, Patterns.KafkaTopic, "a Kafka topic name");
            if (!string.IsNullOrEmpty(topic.EgressTopic) && string.IsNullOrEmpty(topic.Egress))
            {
                checks.Add($"{field}.egressTopic", "is only used with egress");
            }

            for (var target = 0; target < (topic.Targets?.Count ?? 0); target++)
            {
                checks.Matches($"{field}.targets[{target}]", topic.Targets![target], Patterns.FunctionType, "a function type namespace/name");
            }
        }

        ValidateStartupPosition(spec.StartupPosition, topicNames, checks);
        checks.OneOf("spec.autoOffsetResetPosition", spec.AutoOffsetResetPosition, AutoOffsetResetPositions.All, "auto offset reset position");
        checks.Matches("spec.deadLetterTopic", spec.DeadLetterTopic, Patterns.KafkaTopic, "a Kafka topic name");
        foreach (var key in spec.Properties?.Keys ?? Enumerable.Empty<string>())
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                checks.Add("spec.properties", "has an empty property name");
            }
        }

        checks.Security("spec.security", spec.Security);
        if (spec.Replicas is < 0)
        {
            checks.Add("spec.replicas", $"must not be negative (got {spec.Replicas})");
        }

        checks.Quantities("spec.resources.requests", spec.Resources?.Requests);
        checks.Quantities("spec.resources.limits", spec.Resources?.Limits);
    }

    private static void ValidateStartupPosition(StartupPosition? position, HashSet<string> topics, FieldChecks checks)
    {
        var type = position?.Type ?? StartupPositionTypes.GroupOffsets;
        if (!StartupPositionTypes.All.Contains(type, StringComparer.Ordinal))
        {
            checks.OneOf("spec.startupPosition.type", type, StartupPositionTypes.All, "startup position");
            return;
        }

        if (type == StartupPositionTypes.SpecificOffsets)
        {
            if (position?.Offsets is not { Count: > 0 })
            {
                checks.Add("spec.startupPosition.offsets", "is required for type specific-offsets: a map of 'topic/partition' to offset, e.g. user-topic/0: 91");
            }

            foreach (var (key, offset) in position?.Offsets ?? [])
            {
                var field = $"spec.startupPosition.offsets[\"{key}\"]";
                if (!TopicPartitionKey.TryParse(key, out var topic, out _))
                {
                    checks.Add(field, $"key \"{key}\" is not 'topic/partition' (e.g. user-topic/0)");
                }
                else if (!topics.Contains(topic))
                {
                    checks.Add(field, $"topic \"{topic}\" is not one of spec.topics ({string.Join(", ", topics)})");
                }

                if (offset < 0)
                {
                    checks.Add(field, $"offset {offset} must not be negative");
                }
            }
        }
        else if (position?.Offsets is { Count: > 0 })
        {
            checks.Add("spec.startupPosition.offsets", $"is only used with type specific-offsets (type is {type})");
        }

        if (type == StartupPositionTypes.Date)
        {
            if (string.IsNullOrWhiteSpace(position?.Date))
            {
                checks.Add("spec.startupPosition.date", $"is required for type date, formatted '{StartupDate.Format}'");
            }
            else if (!StartupDate.TryParse(position.Date, out _, out var problem))
            {
                checks.Add("spec.startupPosition.date", problem);
            }
        }
        else if (!string.IsNullOrEmpty(position?.Date))
        {
            checks.Add("spec.startupPosition.date", $"is only used with type date (type is {type})");
        }
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
        for (var topic = 0; topic < topics.Count; topic++)
        {
            var targets = topics[topic].Targets ?? [];
            for (var target = 0; target < targets.Count; target++)
            {
                var functionType = targets[target];
                var served = namespaceEndpoints.Any(endpoint =>
                    FunctionTypePattern.Matches(endpoint.Spec.Functions, functionType)
                    && FunctionEndpointValidator.Validate(endpoint).IsValid);
                if (!served)
                {
                    checks.Add(
                        $"spec.topics[{topic}].targets[{target}]",
                        $"no valid FunctionEndpoint in namespace \"{namespaceName}\" serves function type \"{functionType}\"",
                        ValidationReasons.FunctionEndpointNotFound);
                }
            }
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
