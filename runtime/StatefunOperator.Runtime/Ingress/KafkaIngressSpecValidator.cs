namespace StatefunOperator.Runtime.Ingress;

/// <summary>Checks what the C# API cannot check by types alone; messages name the ingress and the field.</summary>
public static class KafkaIngressSpecValidator
{
    public static IReadOnlyList<string> Validate<T>(KafkaIngressSpec<T> spec)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        var prefix = $"ingress {spec.Id}: ";
        if (string.IsNullOrWhiteSpace(spec.Address))
        {
            problems.Add(prefix + "address: is empty; expected the Kafka bootstrap servers, e.g. kafka:9092");
        }

        if (spec.ConsumerGroupId is not null && string.IsNullOrWhiteSpace(spec.ConsumerGroupId))
        {
            problems.Add(prefix + "consumerGroupId: is empty");
        }

        if (spec.ConsumerGroupId is null)
        {
            problems.Add(prefix + "consumerGroupId: is missing; the ingress commits its progress under this group");
        }

        if (spec.Topics.Count == 0)
        {
            problems.Add(prefix + "topics: none given; name at least one topic");
        }

        foreach (var topic in spec.Topics.Where(t => string.IsNullOrWhiteSpace(t)))
        {
            problems.Add(prefix + $"topics: '{topic}' is not a topic name");
        }

        foreach (var duplicate in spec.Topics.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add(prefix + $"topics: '{duplicate.Key}' is listed more than once");
        }

        if (spec.StartupPosition is SpecificOffsetsStartupPosition specific)
        {
            foreach (var (partition, offset) in specific.Offsets)
            {
                var key = $"{partition.Topic}/{partition.Partition.Value}";
                if (offset < 0)
                {
                    problems.Add(prefix + $"startupPosition.offsets: '{key}': {offset} is negative");
                }

                if (!spec.Topics.Contains(partition.Topic, StringComparer.Ordinal))
                {
                    problems.Add(prefix + $"startupPosition.offsets: '{key}': topic '{partition.Topic}' is not one of the ingress topics");
                }
            }
        }

        if (spec.DeadLetterTopic is { } dlq && (string.IsNullOrWhiteSpace(dlq) || spec.Topics.Contains(dlq, StringComparer.Ordinal)))
        {
            problems.Add(prefix + $"deadLetterTopic: '{dlq}' must be a topic name other than the ingress topics");
        }

        return problems;
    }
}
