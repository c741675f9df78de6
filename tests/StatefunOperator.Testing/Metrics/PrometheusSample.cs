namespace StatefunOperator.Testing.Metrics;

/// <summary>One line of a Prometheus text exposition: a series name, its labels and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>Whether every given label has the given value (other labels may exist).</summary>
    public bool Has(IReadOnlyDictionary<string, string>? labels) =>
        labels is null || labels.All(l => Labels.TryGetValue(l.Key, out var value) && value == l.Value);
}
