using System.Globalization;

namespace StatefunOperator.Runtime.Egress;

/// <summary>Checks an egress for settings that would break its delivery semantic; messages name the egress and the field.</summary>
public static class KafkaEgressValidator
{
    public static IReadOnlyList<string> Validate(KafkaEgressOptions egress)
    {
        ArgumentNullException.ThrowIfNull(egress);
        var problems = new List<string>();
        var prefix = $"egress {egress.Id}: ";
        if (string.IsNullOrWhiteSpace(egress.Address))
        {
            problems.Add(prefix + "address: is empty; expected the Kafka bootstrap servers, e.g. kafka:9092");
        }

        var idempotence = egress.Properties.GetValueOrDefault("enable.idempotence");
        var acks = egress.Properties.GetValueOrDefault("acks");
        if (egress.Semantic == KafkaProducerSemantic.ExactlyOnce)
        {
            if (egress.TransactionTimeout <= TimeSpan.Zero)
            {
                problems.Add(prefix + "deliverySemantic.transactionTimeoutMillis: must be a positive number of milliseconds");
            }
            else if (egress.TransactionTimeout.TotalMilliseconds > int.MaxValue)
            {
                problems.Add(prefix + string.Create(CultureInfo.InvariantCulture, $"deliverySemantic.transactionTimeoutMillis: {egress.TransactionTimeout.TotalMilliseconds} is larger than Kafka allows"));
            }

            if (string.Equals(idempotence, "false", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(prefix + "properties.enable.idempotence: 'false' contradicts deliverySemantic exactly-once, which needs an idempotent, transactional producer");
            }
        }

        if (egress.Semantic != KafkaProducerSemantic.None && acks is not null && acks is not ("all" or "-1"))
        {
            problems.Add(prefix + $"properties.acks: '{acks}' contradicts deliverySemantic {Name(egress.Semantic)}, which needs acks from all in-sync replicas (all)");
        }

        if (egress.Semantic == KafkaProducerSemantic.AtLeastOnce && string.Equals(idempotence, "false", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(prefix + "properties.enable.idempotence: 'false' contradicts deliverySemantic at-least-once: retries could reorder or duplicate records");
        }

        return problems;
    }

    public static string Name(KafkaProducerSemantic semantic) => semantic switch
    {
        KafkaProducerSemantic.None => "none",
        KafkaProducerSemantic.AtLeastOnce => "at-least-once",
        _ => "exactly-once",
    };
}
