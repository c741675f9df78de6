using System.Globalization;
using StatefunOperator.Module.Formats;
using StatefunOperator.Module.Model;

namespace StatefunOperator.Module.Validation;

/// <summary>The one validation of a Kafka egress; field paths are relative to the egress spec.</summary>
public static class KafkaEgressRules
{
    /// <summary>The transaction timeout of an exactly-once egress that names none (StateFun's YAML example: 100000 ms).</summary>
    public const long DefaultTransactionTimeoutMillis = 100_000;

    /// <summary>The largest <c>transaction.timeout.ms</c> a Kafka producer takes.</summary>
    public const long MaxTransactionTimeoutMillis = int.MaxValue;

    public static IReadOnlyList<FieldProblem> Validate(KafkaEgressDefinition egress)
    {
        ArgumentNullException.ThrowIfNull(egress);
        var problems = new ProblemCollector();
        problems.Address("address", egress.Address);
        var semantic = ValidateSemantic(egress.DeliverySemantic, problems);
        problems.Properties("properties", egress.Properties);
        ValidateProperties(egress.Properties, semantic, problems);
        return problems.Problems;
    }

    /// <summary>The delivery semantic's type (absent: at-least-once).</summary>
    public static string SemanticType(DeliverySemanticDefinition? semantic) => semantic?.Type ?? DeliverySemanticDefinition.AtLeastOnce;

    /// <summary>The transaction timeout of a valid semantic: <c>transactionTimeoutMillis</c>, <c>transactionTimeout</c> or the default.</summary>
    public static TimeSpan TransactionTimeout(DeliverySemanticDefinition? semantic) =>
        TransactionTimeout(semantic, TimeSpan.FromMilliseconds(DefaultTransactionTimeoutMillis));

    /// <summary>The transaction timeout of a valid semantic, or <paramref name="unset"/> when it sets none.</summary>
    public static TimeSpan TransactionTimeout(DeliverySemanticDefinition? semantic, TimeSpan unset) =>
        semantic?.TransactionTimeoutMillis is null && semantic?.TransactionTimeout is null
            ? unset
            : ParseTimeout(semantic, out var timeout, out _) ? timeout : TimeSpan.FromMilliseconds(DefaultTransactionTimeoutMillis);

    private static string? ValidateSemantic(DeliverySemanticDefinition? semantic, ProblemCollector problems)
    {
        if (semantic is null)
        {
            return DeliverySemanticDefinition.AtLeastOnce;
        }

        if (!problems.Required("deliverySemantic.type", semantic.Type, $"expected one of {string.Join(", ", DeliverySemanticDefinition.Types)}"))
        {
            return null;
        }

        if (!DeliverySemanticDefinition.Types.Contains(semantic.Type, StringComparer.Ordinal))
        {
            problems.Add("deliverySemantic.type", $"'{semantic.Type}' is not a delivery semantic; expected one of {string.Join(", ", DeliverySemanticDefinition.Types)}");
            return null;
        }

        var field = semantic.TransactionTimeoutMillis is not null ? "deliverySemantic.transactionTimeoutMillis" : "deliverySemantic.transactionTimeout";
        if (semantic.TransactionTimeoutMillis is not null && semantic.TransactionTimeout is not null)
        {
            problems.Add("deliverySemantic.transactionTimeout", "and transactionTimeoutMillis are both set; set one of them");
        }
        else if (semantic.TransactionTimeoutMillis is not null || semantic.TransactionTimeout is not null)
        {
            if (semantic.Type != DeliverySemanticDefinition.ExactlyOnce)
            {
                problems.Add(field, $"is only used with type exactly-once (type is {semantic.Type})");
            }
            else if (!ParseTimeout(semantic, out _, out var problem))
            {
                problems.Add(field, problem);
            }
        }

        return semantic.Type;
    }

    private static bool ParseTimeout(DeliverySemanticDefinition? semantic, out TimeSpan timeout, out string problem)
    {
        timeout = TimeSpan.FromMilliseconds(DefaultTransactionTimeoutMillis);
        problem = string.Empty;
        if (semantic?.TransactionTimeoutMillis is { } millisText)
        {
            if (!long.TryParse(millisText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis) || millis <= 0)
            {
                problem = $"'{millisText}' is not a positive whole number of milliseconds";
                return false;
            }

            timeout = TimeSpan.FromMilliseconds(millis);
        }
        else if (semantic?.TransactionTimeout is { } durationText)
        {
            if (!StatefunDuration.TryParse(durationText, out timeout) || timeout <= TimeSpan.Zero)
            {
                problem = $"'{durationText}' is not a positive duration (e.g. 15min, 100s, 900000ms)";
                return false;
            }
        }
        else
        {
            return false;
        }

        if (timeout.TotalMilliseconds > MaxTransactionTimeoutMillis)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalMilliseconds} ms is larger than a Kafka producer allows ({MaxTransactionTimeoutMillis})");
            return false;
        }

        return true;
    }

    private static void ValidateProperties(IReadOnlyList<KeyValuePair<string, string>> properties, string? semantic, ProblemCollector problems)
    {
        var idempotence = properties.LastOrDefault(p => p.Key == "enable.idempotence").Value;
        var acks = properties.LastOrDefault(p => p.Key == "acks").Value;
        if (semantic == DeliverySemanticDefinition.ExactlyOnce && string.Equals(idempotence, "false", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("properties.enable.idempotence", "'false' contradicts deliverySemantic exactly-once, which needs an idempotent, transactional producer");
        }

        if (semantic == DeliverySemanticDefinition.AtLeastOnce && string.Equals(idempotence, "false", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("properties.enable.idempotence", "'false' contradicts deliverySemantic at-least-once: retries could reorder or duplicate records");
        }

        if (semantic is DeliverySemanticDefinition.AtLeastOnce or DeliverySemanticDefinition.ExactlyOnce && acks is not null && acks is not ("all" or "-1"))
        {
            problems.Add("properties.acks", $"'{acks}' contradicts deliverySemantic {semantic}, which needs acks from all in-sync replicas (all)");
        }
    }
}
