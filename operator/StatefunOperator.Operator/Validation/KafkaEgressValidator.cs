using StatefunOperator.Crds.Egress;

namespace StatefunOperator.Operator.Validation;

/// <summary>Validates a KafkaEgress. Pure.</summary>
public static class KafkaEgressValidator
{
    public static ValidationResult Validate(KafkaEgress egress)
    {
        var checks = new FieldChecks();
        var spec = egress.Spec;
        checks.Required("spec.address", spec.Address);
        if (spec.DeliverySemantic is null)
        {
            checks.Add("spec.deliverySemantic", "is required: type none, at-least-once or exactly-once");
        }
        else
        {
            checks.Required("spec.deliverySemantic.type", spec.DeliverySemantic.Type);
            checks.OneOf("spec.deliverySemantic.type", spec.DeliverySemantic.Type, DeliverySemanticTypes.All, "delivery semantic");
            if (spec.DeliverySemantic.TransactionTimeoutMillis is { } timeout)
            {
                if (spec.DeliverySemantic.Type != DeliverySemanticTypes.ExactlyOnce)
                {
                    checks.Add("spec.deliverySemantic.transactionTimeoutMillis", $"is only used with type exactly-once (type is {spec.DeliverySemantic.Type})");
                }
                else if (timeout <= 0)
                {
                    checks.Add("spec.deliverySemantic.transactionTimeoutMillis", $"must be positive (got {timeout})");
                }
            }
        }

        foreach (var key in spec.Properties?.Keys ?? Enumerable.Empty<string>())
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                checks.Add("spec.properties", "has an empty property name");
            }
        }

        checks.Security("spec.security", spec.Security);
        return new ValidationResult(checks.Errors);
    }
}
