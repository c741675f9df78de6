namespace StatefunOperator.Operator.Lag;

/// <summary>
/// The failing function addresses of one FunctionEndpoint's host pods together: how many, and the longest failing
/// (at most <see cref="MaxListed"/>). Drives the endpoint's <c>FunctionsHealthy</c> condition.
/// </summary>
public sealed record FunctionFailures(int Total, IReadOnlyList<FailingAddressReading> Longest)
{
    public const int MaxListed = 5;

    public static readonly FunctionFailures None = new(0, []);

    /// <summary>The pods' readings together; null when no pod answered (unknown, not healthy).</summary>
    public static FunctionFailures? Combine(IReadOnlyList<RuntimeStatusReading> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        if (pods.Count == 0)
        {
            return null;
        }

        var longest = pods.SelectMany(p => p.Failing)
            .OrderBy(f => f.FirstFailure)
            .ThenBy(f => f.Address, StringComparer.Ordinal)
            .Take(MaxListed)
            .ToList();
        return new FunctionFailures(pods.Sum(p => Math.Max(p.FailingTotal, p.Failing.Count)), longest);
    }

    /// <summary>Same addresses, attempts and errors: the condition message would not change.</summary>
    public static bool Same(FunctionFailures? a, FunctionFailures? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Total == b.Total && a.Longest.SequenceEqual(b.Longest);
}
