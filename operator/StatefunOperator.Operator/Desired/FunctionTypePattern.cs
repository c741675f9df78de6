namespace StatefunOperator.Operator.Desired;

/// <summary>Matches function types against endpoint patterns with the module model's one rule (<see cref="Module.Formats.FunctionTypePattern"/>).</summary>
public static class FunctionTypePattern
{
    public static bool Matches(string pattern, string functionType) => Module.Formats.FunctionTypePattern.Matches(pattern, functionType);
}
