using System.Collections.ObjectModel;
using System.Globalization;
using StatefunOperator.Runtime.Addressing;
using StatefunOperator.Runtime.Egress;

namespace StatefunOperator.Runtime.Configuration;

/// <summary>Reads the spec of a generic Kafka egress document.</summary>
internal static class KafkaEgressYamlParser
{
    public static KafkaEgressOptions? Parse(YamlSection spec, TypeName id, ProblemList problems)
    {
        var before = problems.Count;
        var address = spec.String("address", required: true);
        var semantic = KafkaProducerSemantic.AtLeastOnce;
        var timeout = KafkaEgressOptions.DefaultTransactionTimeout;
        if (spec.Section("deliverySemantic") is { } delivery)
        {
            var type = delivery.String("type", required: true);
            switch (type)
            {
                case null:
                    break;
                case "none":
                    semantic = KafkaProducerSemantic.None;
                    break;
                case "at-least-once":
                    semantic = KafkaProducerSemantic.AtLeastOnce;
                    break;
                case "exactly-once":
                    semantic = KafkaProducerSemantic.ExactlyOnce;
                    timeout = ParseTransactionTimeout(delivery) ?? timeout;
                    break;
                default:
                    delivery.Problem("type", $"'{type}' is not a delivery semantic; expected one of none, at-least-once, exactly-once");
                    break;
            }
        }

        var properties = spec.Pairs("properties");
        if (problems.Count > before || address is null)
        {
            return null;
        }

        var egress = new KafkaEgressOptions(
            id,
            address,
            semantic,
            timeout,
            new ReadOnlyDictionary<string, string>(properties.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal)));
        foreach (var problem in KafkaEgressValidator.Validate(egress))
        {
            problems.AddRaw(problem);
        }

        return problems.Count > before ? null : egress;
    }

    private static TimeSpan? ParseTransactionTimeout(YamlSection delivery)
    {
        if (delivery.String("transactionTimeoutMillis") is { } millis)
        {
            if (long.TryParse(millis, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0)
            {
                return TimeSpan.FromMilliseconds(ms);
            }

            delivery.Problem("transactionTimeoutMillis", $"'{millis}' is not a positive whole number of milliseconds");
            return null;
        }

        if (delivery.String("transactionTimeout") is { } duration)
        {
            if (StatefunDuration.TryParse(duration, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            delivery.Problem("transactionTimeout", $"'{duration}' is not a positive duration (e.g. 15min, 100s, 900000ms)");
        }

        return null;
    }
}
