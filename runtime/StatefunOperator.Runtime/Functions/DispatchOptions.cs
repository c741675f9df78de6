namespace StatefunOperator.Runtime.Functions;

/// <summary>How the dispatcher retries failed calls, and how much unfinished work an ingress may queue before it waits.</summary>
public sealed record DispatchOptions(TimeSpan InitialBackoff, TimeSpan MaxBackoff, int MaxIncompleteContextRounds, long MaxOutstanding)
{
    public static readonly DispatchOptions Default = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), 5, 10_000);
}
