using System.Globalization;

namespace StatefunOperator.Benchmarks;

/// <summary>Min / median / max of a series of rounds.</summary>
internal sealed record Spread(double Min, double Median, double Max)
{
    public static Spread Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return new Spread(double.NaN, double.NaN, double.NaN);
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(sorted[0], median, sorted[^1]);
    }

    public string Format(string number) => string.Create(
        CultureInfo.InvariantCulture,
        $"min {Min.ToString(number, CultureInfo.InvariantCulture)} / median {Median.ToString(number, CultureInfo.InvariantCulture)} / max {Max.ToString(number, CultureInfo.InvariantCulture)}");
}
