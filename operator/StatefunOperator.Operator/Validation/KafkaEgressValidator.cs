using StatefunOperator.Crds.Egress;
using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Model;

namespace StatefunOperator.Operator.Validation;

/// <summary>Validates a KafkaEgress with the module's rules, plus what only a resource has (security). Pure.</summary>
public static class KafkaEgressValidator
{
    public static ValidationResult Validate(KafkaEgress egress)
    {
        var checks = new FieldChecks();
        ModuleRuleErrors.AddTo(checks, KafkaEgressRules.Validate(CustomResourceModel.Egress(egress)));
        checks.Security("spec.security", egress.Spec.Security);
        return new ValidationResult(checks.Errors);
    }
}
