using StatefunOperator.Module.Validation;
using StatefunOperator.Operator.Model;

namespace StatefunOperator.Operator.Validation;

/// <summary>The module's field problems as the resource's field errors (<c>spec.</c> paths, reason InvalidSpec).</summary>
internal static class ModuleRuleErrors
{
    public static void AddTo(FieldChecks checks, IEnumerable<FieldProblem> problems)
    {
        foreach (var problem in problems)
        {
            checks.Add(CustomResourceModel.FieldPath(problem.Field), problem.Message);
        }
    }
}
